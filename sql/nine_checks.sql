-- The nine checks of the assignment on every layout and load mode, on the
-- project's sample files and on the real files in ../shared/realdata. The
-- expected answers come from test/oracle/nine_answers.py, which reads the
-- same JSON independently of the loader (make installcheck runs it first).
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
-- Every jsonb value the denormalized loads build is compared with jsonb_in's.
SET tweet_loader.check_jsonb = on;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
SELECT set_config('tweet_test.srcdir', :'abs_srcdir', false) IS NOT NULL AS ok;

-- The oracle's answers, one schema per data set.
CREATE FUNCTION pg_temp.load_oracle(dataset text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    dir text := current_setting('tweet_test.srcdir') || '/results/oracle/' || dataset;
    schema text := 'oracle_' || dataset;
BEGIN
    EXECUTE format('CREATE SCHEMA %I', schema);
    EXECUTE format('CREATE TABLE %I.q1 (n bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q2 (n bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q3 (n bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q4 (n bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q5 (tag text, count bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q6 (tag text, total bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q7 (country_code text, count bigint)', schema);
    EXECUTE format('CREATE TABLE %I.q8 (id bigint, length integer)', schema);
    EXECUTE format('CREATE TABLE %I.q9 (day timestamp, count bigint)', schema);
    FOR n IN 1..9 LOOP
        EXECUTE format('COPY %I.q%s FROM %L (FORMAT csv)', schema, n, dir || '/q' || n || '.csv');
    END LOOP;
END $$;
SELECT pg_temp.load_oracle('data');
SELECT pg_temp.load_oracle('realdata');

-- Loads files into a fresh schema with the given layout and mode.
CREATE FUNCTION pg_temp.load_into(schema text, layout text, mode text, files text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f text;
BEGIN
    EXECUTE format('CREATE SCHEMA %I', schema);
    PERFORM set_config('search_path', format('%I, public', schema), false);
    PERFORM create_tweet_tables(layout);
    FOREACH f IN ARRAY files LOOP
        PERFORM load_tweets(current_setting('tweet_test.srcdir') || '/' || f, mode);
    END LOOP;
END $$;

-- Per query: the rows the oracle has, and rows that differ either way.
CREATE FUNCTION pg_temp.compare(oracle text)
RETURNS TABLE (query int, oracle_rows bigint, mismatches bigint) LANGUAGE plpgsql AS $$
BEGIN
    FOR n IN 1..9 LOOP
        query := n;
        EXECUTE format('SELECT count(*) FROM %I.q%s', oracle, n) INTO oracle_rows;
        EXECUTE format(
            'SELECT count(*) FROM ((SELECT * FROM answer_%1$s EXCEPT ALL SELECT * FROM %2$I.q%1$s)
                                   UNION ALL
                                   (SELECT * FROM %2$I.q%1$s EXCEPT ALL SELECT * FROM answer_%1$s)) d',
            n, oracle) INTO mismatches;
        RETURN NEXT;
    END LOOP;
END $$;

\set answers :abs_srcdir '/scripts/nine_answers.sql'
\set sample_files '{data/sample-01.jsonl.zip,data/sample-02.jsonl.gz,data/sample-03.jsonl}'
\set real_files '{../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz,../shared/realdata/tweet-parser-examples-2017.jsonl,../shared/realdata/insight-geo-stream-2015-11-11.jsonl.gz}'

-- denormalized layout, 'denormalized' mode
SELECT pg_temp.load_into('denormalized_data', 'denormalized', 'denormalized', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');
SELECT pg_temp.load_into('denormalized_real', 'denormalized', 'denormalized', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');
SELECT n AS realdata_tweets FROM answer_1;
-- How the values are stored: each over 2 kB compressed with the column's
-- lz4 and kept in its row, nothing in the TOAST table.
CREATE FUNCTION pg_temp.storage() RETURNS TABLE (tweets bigint, lz4 bigint,
    misplaced bigint, toast_bytes bigint) LANGUAGE sql AS $$
    SELECT count(*),
           count(*) FILTER (WHERE pg_column_compression(data) = 'lz4'),
           count(*) FILTER (WHERE (pg_column_compression(data) IS NOT NULL)
                            <> (pg_column_size(data::text::jsonb) > 2032)),
           pg_relation_size((SELECT reltoastrelid FROM pg_class
                             WHERE oid = 'tweets_jsonb'::regclass))
    FROM tweets_jsonb $$;
SELECT * FROM pg_temp.storage();
-- A column whose storage forbids compression gets none.
CREATE SCHEMA denormalized_external;
SET search_path = denormalized_external, public;
SELECT create_tweet_tables('denormalized');
ALTER TABLE tweets_jsonb ALTER COLUMN data SET STORAGE EXTERNAL;
SELECT tweets FROM load_tweets(:'abs_srcdir' || '/../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz', 'denormalized');
SELECT tweets, lz4, toast_bytes > 0 AS toasted FROM pg_temp.storage();

-- normalized layout, 'normalized' (row) mode
SELECT pg_temp.load_into('normalized_data', 'normalized', 'normalized', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');
SELECT pg_temp.load_into('normalized_real', 'normalized', 'normalized', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');

-- normalized layout, 'batch' mode
SELECT pg_temp.load_into('batch_data', 'normalized', 'batch', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');
SELECT pg_temp.load_into('batch_real', 'normalized', 'batch', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');

-- normalized_batch layout, 'batch' mode
SELECT pg_temp.load_into('nbatch_data', 'normalized_batch', 'batch', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');
SELECT pg_temp.load_into('nbatch_real', 'normalized_batch', 'batch', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');
SELECT n AS realdata_tweets FROM answer_1;

-- Batch and row mode leave the normalized layout with identical contents
-- (surrogate url ids aside: rows are compared with their urls).
CREATE FUNCTION pg_temp.contents(schema text)
RETURNS TABLE (tab text, n bigint, digest text) LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    FOR tab, q IN VALUES
        ('users', 'SELECT u.id_users, u.created_at, u.updated_at, l.url, u.friends_count, u.listed_count, u.favourites_count, u.statuses_count, u.protected, u.verified, u.screen_name, u.name, u.location, u.description, u.withheld_in_countries, u.updated_by FROM %1$I.users u LEFT JOIN %1$I.urls l USING (id_urls)'),
        ('tweets', 'SELECT id_tweets, id_users, created_at, in_reply_to_status_id, in_reply_to_user_id, quoted_status_id, retweet_count, favorite_count, quote_count, withheld_copyright, withheld_in_countries, source, text, country_code, state_code, lang, place_name, ST_AsEWKB(geo) FROM %1$I.tweets'),
        ('tweet_urls', 'SELECT id_tweets, url FROM %1$I.tweet_urls JOIN %1$I.urls USING (id_urls)'),
        ('tweet_mentions', 'SELECT * FROM %1$I.tweet_mentions'),
        ('tweet_tags', 'SELECT * FROM %1$I.tweet_tags'),
        ('tweet_media', 'SELECT id_tweets, url, type FROM %1$I.tweet_media JOIN %1$I.urls USING (id_urls)'),
        ('urls', 'SELECT url FROM %1$I.urls')
    LOOP
        EXECUTE format('SELECT count(*), md5(string_agg(r::text, E''\n'' ORDER BY r::text)) FROM (' || q || ') r', schema)
            INTO n, digest;
        RETURN NEXT;
    END LOOP;
END $$;
SELECT r.tab, r.n > 0 AS has_rows, r.digest = b.digest AS same_as_batch
FROM pg_temp.contents('normalized_data') r
JOIN pg_temp.contents('batch_data') b USING (tab)
ORDER BY 1;
SELECT r.tab, r.digest = b.digest AS same_as_batch
FROM pg_temp.contents('normalized_real') r
JOIN pg_temp.contents('batch_real') b USING (tab)
ORDER BY 1;
