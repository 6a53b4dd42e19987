-- The nine checks of the assignment on every layout and load mode, on the
-- real files of ../shared/realdata (left out, and reported skipped, where
-- they are absent). The expected answers come from
-- test/oracle/nine_answers.py, as in nine_checks.sql.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
-- Every jsonb value the denormalized loads build is compared with jsonb_in's.
SET tweet_loader.check_jsonb = on;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
SELECT set_config('tweet_test.srcdir', :'abs_srcdir', false) IS NOT NULL AS ok;
\set helpers :abs_srcdir '/sql/include/nine_helpers.psql'
\i :helpers
\set answers :abs_srcdir '/../scripts/nine_answers.sql'
SELECT pg_temp.load_oracle('realdata');
\set real_files '{../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz,../shared/realdata/tweet-parser-examples-2017.jsonl,../shared/realdata/insight-geo-stream-2015-11-11.jsonl.gz}'

-- denormalized layout, 'denormalized' mode
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
SELECT tweets FROM load_tweets(:'abs_srcdir' || '/../../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz', 'denormalized');
SELECT tweets, lz4, toast_bytes > 0 AS toasted FROM pg_temp.storage();

-- normalized layout, 'normalized' (row) mode
SELECT pg_temp.load_into('normalized_real', 'normalized', 'normalized', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');

-- normalized layout, 'batch' mode
SELECT pg_temp.load_into('batch_real', 'normalized', 'batch', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');

-- normalized_batch layout, 'batch' mode
SELECT pg_temp.load_into('nbatch_real', 'normalized_batch', 'batch', :'real_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_realdata');
SELECT n AS realdata_tweets FROM answer_1;

-- Batch and row mode leave the normalized layout with identical contents.
SELECT r.tab, r.digest = b.digest AS same_as_batch
FROM pg_temp.contents('normalized_real') r
JOIN pg_temp.contents('batch_real') b USING (tab)
ORDER BY 1;
