-- The nine checks of the assignment on every layout and load mode, on the
-- project's sample files (realdata.sql does the same on the real files of
-- ../shared/realdata). The expected answers come from
-- test/oracle/nine_answers.py, which reads the same JSON independently of
-- the loader (make installcheck runs it first).
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
-- Every jsonb value the denormalized loads build is compared with jsonb_in's.
SET tweet_loader.check_jsonb = on;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
SELECT set_config('tweet_test.srcdir', :'abs_srcdir', false) IS NOT NULL AS ok;
\set helpers :abs_srcdir '/sql/include/nine_helpers.psql'
\i :helpers
\set answers :abs_srcdir '/../scripts/nine_answers.sql'
SELECT pg_temp.load_oracle('data');
\set sample_files '{data/sample-01.jsonl.zip,data/sample-02.jsonl.gz,data/sample-03.jsonl}'

-- denormalized layout, 'denormalized' mode
SELECT pg_temp.load_into('denormalized_data', 'denormalized', 'denormalized', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');

-- normalized layout, 'normalized' (row) mode
SELECT pg_temp.load_into('normalized_data', 'normalized', 'normalized', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');

-- normalized layout, 'batch' mode
SELECT pg_temp.load_into('batch_data', 'normalized', 'batch', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');

-- normalized_batch layout, 'batch' mode
SELECT pg_temp.load_into('nbatch_data', 'normalized_batch', 'batch', :'sample_files');
\i :answers
SELECT * FROM pg_temp.compare('oracle_data');

-- Batch and row mode leave the normalized layout with identical contents
-- (surrogate url ids aside: rows are compared with their urls).
SELECT r.tab, r.n > 0 AS has_rows, r.digest = b.digest AS same_as_batch
FROM pg_temp.contents('normalized_data') r
JOIN pg_temp.contents('batch_data') b USING (tab)
ORDER BY 1;
