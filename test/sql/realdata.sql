-- The nine checks of the assignment on every layout and load mode, on the
-- real files of ../shared/realdata (left out, and reported skipped, where
-- they are absent). The expected answers come from
-- test/oracle/nine_answers.py, as in nine_checks.sql.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/include/nine_helpers.psql'
\i :helpers
SELECT pg_temp.load_oracle('realdata');
\set set realdata
\set files '{../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz,../shared/realdata/tweet-parser-examples-2017.jsonl,../shared/realdata/insight-geo-stream-2015-11-11.jsonl.gz}'
\i :every_layout

-- How the values are stored: each over 2 kB compressed with the column's
-- lz4 and kept in its row, nothing in the TOAST table.
SET search_path = denormalized_realdata, public;
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

