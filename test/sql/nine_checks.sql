-- The nine checks of the assignment on every layout and load mode, on the
-- project's sample files (realdata.sql does the same on the real files of
-- ../shared/realdata). The expected answers come from
-- test/oracle/nine_answers.py, which reads the same JSON independently of
-- the loader (make installcheck runs it first).
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/include/nine_helpers.psql'
\i :helpers
SELECT pg_temp.load_oracle('data');
\set set data
\set files '{data/sample-01.jsonl.zip,data/sample-02.jsonl.gz,data/sample-03.jsonl}'
\i :every_layout
