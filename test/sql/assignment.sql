-- Answers equal to the assignment's own databases, on a file with repeated
-- tweets (identical lines and lines that differ) and place boxes of every
-- shape (data/cases/assignment.jsonl). The reference is built without the
-- loader: the lines copied as they are into a jsonb table, with views made
-- the assignment's way (each child view is a SELECT DISTINCT over the lines,
-- a ring always gets its first point again). Each check prints the rows that
-- differ, so an empty result is a pass.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
\set file :abs_srcdir '/data/cases/assignment.jsonl'
SET timezone = 'UTC';

CREATE SCHEMA reference;
CREATE TABLE reference.tweets_jsonb (data jsonb);
COPY reference.tweets_jsonb FROM :'file' WITH (FORMAT csv, QUOTE e'\x01', DELIMITER e'\x02');

-- The assignment's geometry: POINT(c0 c1), else a MULTIPOLYGON whose every
-- ring is its points and then its first point once more.
CREATE FUNCTION reference.geo(data jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT CASE
        WHEN jsonb_typeof(data->'geo'->'coordinates') = 'array'
        THEN 'POINT(' || (data->'geo'->'coordinates'->>0) || ' ' || (data->'geo'->'coordinates'->>1) || ')'
        ELSE (SELECT 'MULTIPOLYGON((' || string_agg(ring, ',' ORDER BY r) || '))'
              FROM (SELECT r, '(' || string_agg(p->>0 || ' ' || (p->>1), ',' ORDER BY i)
                              || ',' || (rg->0->>0) || ' ' || (rg->0->>1) || ')' AS ring
                    FROM jsonb_array_elements(data->'place'->'bounding_box'->'coordinates')
                             WITH ORDINALITY AS rings(rg, r),
                         jsonb_array_elements(rg) WITH ORDINALITY AS pts(p, i)
                    GROUP BY r, rg) rings)
    END $$;

CREATE VIEW reference.tweets AS
SELECT (data->>'id')::bigint AS id_tweets,
       lower(data->'place'->>'country_code') AS country_code,
       data->>'lang' AS lang,
       COALESCE(data->'extended_tweet'->>'full_text', data->>'text') AS text,
       (data->>'created_at')::timestamptz AS created_at,
       ST_GeomFromText(reference.geo(data)) AS geo
FROM reference.tweets_jsonb;

CREATE VIEW reference.tweet_tags AS
SELECT DISTINCT (data->>'id')::bigint AS id_tweets, '#' || (h->>'text') AS tag
FROM reference.tweets_jsonb, jsonb_array_elements(
    COALESCE(data->'entities'->'hashtags', '[]') ||
    COALESCE(data->'extended_tweet'->'entities'->'hashtags', '[]')) h
UNION ALL
SELECT DISTINCT (data->>'id')::bigint, '$' || (s->>'text')
FROM reference.tweets_jsonb, jsonb_array_elements(
    COALESCE(data->'entities'->'symbols', '[]') ||
    COALESCE(data->'extended_tweet'->'entities'->'symbols', '[]')) s;

CREATE VIEW reference.tweet_mentions AS
SELECT DISTINCT (data->>'id')::bigint AS id_tweets, (m->>'id')::bigint AS id_users
FROM reference.tweets_jsonb, jsonb_array_elements(
    COALESCE(data->'entities'->'user_mentions', '[]') ||
    COALESCE(data->'extended_tweet'->'entities'->'user_mentions', '[]')) m;

CREATE VIEW reference.tweet_media AS
SELECT DISTINCT (data->>'id')::bigint AS id_tweets, m->>'media_url' AS url, m->>'type' AS type
FROM reference.tweets_jsonb, jsonb_array_elements(
    COALESCE(data->'extended_entities'->'media', '[]') ||
    COALESCE(data->'extended_tweet'->'extended_entities'->'media', '[]')) m;

CREATE VIEW reference.tweet_urls AS
SELECT DISTINCT (data->>'id')::bigint AS id_tweets, u->>'expanded_url' AS url
FROM reference.tweets_jsonb, jsonb_array_elements(
    COALESCE(data->'entities'->'urls', '[]') ||
    COALESCE(data->'extended_tweet'->'entities'->'urls', '[]')) u;

-- The assignment's nine check queries (simple 1-4, complex 1-5), as rows of
-- text, over the tables found on the search_path.
CREATE FUNCTION pg_temp.nine(path text) RETURNS TABLE (q int, answer text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('search_path', path || ', public', true);
    RETURN QUERY EXECUTE $q$
        SELECT 1, count(DISTINCT id_tweets)::text FROM tweets
        UNION ALL
        SELECT 2, count(*)::text FROM (SELECT DISTINCT * FROM tweet_mentions) t
        UNION ALL
        SELECT 3, count(*)::text FROM (SELECT DISTINCT * FROM tweet_tags) t
        UNION ALL
        SELECT 4, count(*)::text FROM tweet_media
        UNION ALL
        SELECT 5, concat_ws(' ', lower(t1.tag), count(DISTINCT t1.id_tweets))
        FROM tweet_tags t1 JOIN tweet_tags t2 ON t1.id_tweets = t2.id_tweets
        WHERE lower(t2.tag) = '#coronavirus' GROUP BY lower(t1.tag)
        UNION ALL
        (WITH d AS (SELECT DISTINCT * FROM tweet_tags)
         SELECT 6, concat_ws(' ', s.tag, s.shared, a.total)
         FROM (SELECT lower(t1.tag) AS tag, count(*) AS shared
               FROM d t1 JOIN d t2 ON t1.id_tweets = t2.id_tweets
               WHERE lower(t2.tag) = '#coronavirus' GROUP BY 1) s
         JOIN (SELECT lower(tag) AS tag, count(*) AS total FROM d GROUP BY 1) a
           ON a.tag = s.tag)
        UNION ALL
        SELECT 7, concat_ws(' ', country_code, count(*))
        FROM tweet_tags JOIN tweets ON tweet_tags.id_tweets = tweets.id_tweets
        WHERE tag = '#coronavirus' GROUP BY country_code
        UNION ALL
        SELECT 8, concat_ws(' ', tweets.id_tweets, length(text))
        FROM tweet_tags JOIN tweets ON tweet_tags.id_tweets = tweets.id_tweets
        WHERE lang = 'en' AND tag = '#coronavirus'
        UNION ALL
        SELECT 9, concat_ws(' ', date_trunc('day', created_at), count(*))
        FROM tweet_tags JOIN tweets ON tweet_tags.id_tweets = tweets.id_tweets
        WHERE tag = '#coronavirus' GROUP BY date_trunc('day', created_at)
    $q$;
END $$;

-- Rows of one side missing from the other, duplicates counted.
CREATE FUNCTION pg_temp.differ(actual text, expected text)
RETURNS TABLE (side text, row_text text) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        '(SELECT ''unexpected'', a::text FROM (%1$s EXCEPT ALL %2$s) a)
         UNION ALL
         (SELECT ''missing'', e::text FROM (%2$s EXCEPT ALL %1$s) e) ORDER BY 1, 2',
        actual, expected);
END $$;

-- The reference answers themselves, so that a change to the file shows.
SELECT * FROM pg_temp.nine('reference') ORDER BY q, answer;

CREATE SCHEMA loaded_denormalized;
CREATE SCHEMA loaded_normalized;
CREATE SCHEMA loaded_batch;
SET search_path = loaded_denormalized, public;
SELECT create_tweet_tables('denormalized');
SELECT tweets, skipped FROM load_tweets(:'file', 'denormalized');
SET search_path = loaded_normalized, public;
SELECT create_tweet_tables('normalized');
SELECT tweets, skipped FROM load_tweets(:'file', 'batch');
SET search_path = loaded_batch, public;
SELECT create_tweet_tables('normalized_batch');
SELECT tweets, skipped FROM load_tweets(:'file', 'batch');
RESET search_path;

-- The nine answers of the denormalized layout are the assignment's own.
SELECT * FROM pg_temp.differ(
    'SELECT * FROM pg_temp.nine(''loaded_denormalized'')',
    'SELECT * FROM pg_temp.nine(''reference'')');

-- Its child views hold each row once, as the assignment's do.
CREATE FUNCTION pg_temp.view_differs(view text, columns text)
RETURNS TABLE (view_name text, side text, row_text text) LANGUAGE sql AS $$
    SELECT view, d.* FROM pg_temp.differ(
        format('SELECT %s FROM loaded_denormalized.%I', columns, view),
        format('SELECT %s FROM reference.%I', columns, view)) d $$;
SELECT * FROM pg_temp.view_differs('tweet_tags', 'id_tweets, tag')
UNION ALL SELECT * FROM pg_temp.view_differs('tweet_mentions', 'id_tweets, id_users')
UNION ALL SELECT * FROM pg_temp.view_differs('tweet_media', 'id_tweets, url, type')
UNION ALL SELECT * FROM pg_temp.view_differs('tweet_urls', 'id_tweets, url');

-- Every layout stores the assignment's geometry for every tweet, point for
-- point: the denormalized one for every line, the normalized layouts for
-- every tweet id (they keep one row per line at most).
CREATE FUNCTION pg_temp.geometry_differs(layout text, per text)
RETURNS TABLE (layout_name text, side text, row_text text) LANGUAGE sql AS $$
    SELECT layout, d.* FROM pg_temp.differ(
        format('SELECT %s id_tweets, ST_AsText(geo), ST_NPoints(geo) FROM %I.tweets',
               per, 'loaded_' || layout),
        format('SELECT %s id_tweets, ST_AsText(geo), ST_NPoints(geo) FROM reference.tweets',
               per)) d $$;
SELECT * FROM pg_temp.geometry_differs('denormalized', '')
UNION ALL SELECT * FROM pg_temp.geometry_differs('normalized', 'DISTINCT')
UNION ALL SELECT * FROM pg_temp.geometry_differs('batch', 'DISTINCT');

-- The point-like box has five equal points, the closed ring six.
SELECT id_tweets, ST_NPoints(geo) FROM loaded_normalized.tweets
WHERE id_tweets IN (33, 34) ORDER BY 1;

DROP SCHEMA reference, loaded_denormalized, loaded_normalized, loaded_batch CASCADE;
