-- Every layout is created, loaded in every mode and read with a search_path
-- that holds only its own schema, while PostGIS and tweet_loader live in
-- public: the tables, the staging tables and the views' functions must not
-- need public on the path.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
\set cases :abs_srcdir '/data/cases/mapping.jsonl'
SET timezone = 'UTC';

-- Creates a layout in a new schema and loads the cases into it, with only
-- that schema on the path.
CREATE FUNCTION pg_temp.make_and_load(schema text, layout text, mode text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('CREATE SCHEMA %I', schema);
    PERFORM set_config('search_path', schema, true);
    PERFORM public.create_tweet_tables(layout);
    SELECT tweets INTO n FROM public.load_tweets(current_setting('tweet_test.cases'), mode);
    RETURN n;
END $$;
SELECT set_config('tweet_test.cases', :'cases', false) IS NOT NULL AS ok;
SELECT schema, pg_temp.make_and_load(schema, layout, mode) AS tweets
FROM (VALUES ('path_den', 'denormalized', 'denormalized'),
             ('path_norm', 'normalized', 'batch'),
             ('path_row', 'normalized', 'normalized'),
             ('path_nbatch', 'normalized_batch', 'batch')) v(schema, layout, mode);

-- The tweets as each layout shows them, read with only that layout's schema
-- on the path (the geometry as text by PostGIS's function, named in full).
CREATE FUNCTION pg_temp.tweets_of(schema text)
RETURNS TABLE (id_tweets bigint, text text, country_code text,
               state_code text, geo text, tags text) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('search_path', schema, true);
    RETURN QUERY
        SELECT DISTINCT t.id_tweets, t.text, t.country_code::text,
               t.state_code::text, public.ST_AsText(t.geo),
               (SELECT string_agg(DISTINCT g.tag, ' ' ORDER BY g.tag)
                FROM tweet_tags g WHERE g.id_tweets = t.id_tweets)
        FROM tweets t ORDER BY 1;
END $$;
SELECT * FROM pg_temp.tweets_of('path_den');
-- The other layouts show the same.
SELECT s AS layout_schema,
       (SELECT count(*)
        FROM ((SELECT * FROM pg_temp.tweets_of(s)
               EXCEPT SELECT * FROM pg_temp.tweets_of('path_den'))
              UNION ALL
              (SELECT * FROM pg_temp.tweets_of('path_den')
               EXCEPT SELECT * FROM pg_temp.tweets_of(s))) d) AS rows_differing
FROM unnest(ARRAY['path_norm', 'path_row', 'path_nbatch']) s;

RESET search_path;
DROP SCHEMA path_den, path_norm, path_row, path_nbatch CASCADE;
