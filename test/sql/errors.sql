-- Every error load_tweets and create_tweet_tables can show in SQL, with the
-- messages users see, on the bad files of data/bad (see data/bad/README.md).
-- After each failure nothing of the failing file may remain: every result
-- below ends with the number of rows in the tables of the schema loaded
-- into, which is 0 unless a load succeeded.
\getenv abs_srcdir PG_ABS_SRCDIR
\set bad :abs_srcdir '/data/bad/'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
SELECT set_config('tweet_test.srcdir', :'abs_srcdir', false) IS NOT NULL AS ok;
-- The server must stay up through all of this: no crash restart.
SELECT set_config('tweet_test.started', pg_postmaster_start_time()::text, false) IS NOT NULL AS ok;

-- One schema per layout, and one without tables.
CREATE SCHEMA err_none;
CREATE SCHEMA err_den;
CREATE SCHEMA err_norm;
CREATE SCHEMA err_batch;
SET search_path = err_den, public;
SELECT create_tweet_tables('denormalized');
SET search_path = err_norm, public;
SELECT create_tweet_tables('normalized');
SET search_path = err_batch, public;
SELECT create_tweet_tables('normalized_batch');
RESET search_path;

-- Rows in the tables of a schema, all tables together.
CREATE FUNCTION pg_temp.table_rows(schema text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t text;
    n bigint;
    total bigint := 0;
BEGIN
    FOR t IN SELECT relname FROM pg_class
             WHERE relnamespace = schema::regnamespace AND relkind = 'r' LOOP
        EXECUTE format('SELECT count(*) FROM %I.%I', schema, t) INTO n;
        total := total + n;
    END LOOP;
    RETURN total;
END $$;

-- One load into a schema: its result, or the error as the user sees it
-- (SQLSTATE, message, detail, hint, and the loader's CONTEXT line) with the
-- source directory replaced by <srcdir>; then the rows in the schema.
CREATE FUNCTION pg_temp.try_load(schema text, path text, mode text,
                                 batch_size int DEFAULT NULL,
                                 on_error text DEFAULT 'stop')
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    saved text := current_setting('search_path');
    r record;
    result text;
    msg text;
    detail text;
    hint text;
    context text;
BEGIN
    PERFORM set_config('search_path', format('%I, public', schema), false);
    BEGIN
        SELECT * INTO r FROM load_tweets(path, mode, batch_size, on_error);
        result := format('ok: tweets %s, skipped %s, bad_lines %s, rows %s',
                         r.tweets, r.skipped, r.bad_lines, r.rows);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
                                hint = PG_EXCEPTION_HINT, context = PG_EXCEPTION_CONTEXT;
        result := 'ERROR ' || SQLSTATE || ': ' || msg;
        IF detail <> '' THEN result := result || E'\nDETAIL: ' || detail; END IF;
        IF hint <> '' THEN result := result || E'\nHINT: ' || hint; END IF;
        SELECT result || coalesce(string_agg(E'\nCONTEXT: ' || c, ''), '')
          INTO result
          FROM regexp_split_to_table(context, E'\n') c
         WHERE c LIKE 'load_tweets %';
    END;
    PERFORM set_config('search_path', saved, false);
    RETURN replace(result, current_setting('tweet_test.srcdir'), '<srcdir>')
           || E'\n(rows in ' || schema || ': ' || pg_temp.table_rows(schema) || ')';
END $$;

-- The same load in every mode and layout; modes with the same outcome are
-- shown together.
CREATE FUNCTION pg_temp.try_modes(path text, batch_size int DEFAULT NULL,
                                  on_error text DEFAULT 'stop')
RETURNS TABLE (modes text, result text) LANGUAGE sql AS $$
    SELECT string_agg(label, ', ' ORDER BY n), res
    FROM (SELECT n, label,
                 regexp_replace(pg_temp.try_load(schema, path, mode, batch_size, on_error),
                                'rows in [a-z_]+:', 'rows left:') AS res
          FROM (VALUES (1, 'denormalized', 'err_den', 'denormalized'),
                       (2, 'normalized', 'err_norm', 'normalized'),
                       (3, 'batch', 'err_batch', 'batch'),
                       (4, 'batch into normalized', 'err_norm', 'batch'))
               AS m(n, label, schema, mode)) r
    GROUP BY res
    ORDER BY min(n)
$$;

\pset format unaligned
\pset fieldsep '\n'
\pset tuples_only on

--
-- Arguments, layouts and modes.
--
-- No tweet tables in the schema at all.
SELECT pg_temp.try_load('err_none', :'bad' || 'empty.jsonl', 'batch');
SELECT pg_temp.try_load('err_none', :'bad' || 'empty.jsonl', 'denormalized');
-- Unknown modes (modes are lower case words).
SELECT pg_temp.try_load('err_den', :'bad' || 'empty.jsonl', 'fast');
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'Batch');
SELECT pg_temp.try_load('err_norm', :'bad' || 'empty.jsonl', '');
SELECT pg_temp.try_load('err_norm', :'bad' || 'empty.jsonl', NULL);
SELECT pg_temp.try_load('err_norm', NULL, 'batch');
-- Modes that do not fit the layout.
SELECT pg_temp.try_load('err_norm', :'bad' || 'empty.jsonl', 'denormalized');
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'denormalized');
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'normalized');
SELECT pg_temp.try_load('err_den', :'bad' || 'empty.jsonl', 'normalized');
SELECT pg_temp.try_load('err_den', :'bad' || 'empty.jsonl', 'batch');
-- batch_size must lie in 1..100000 (NULL: the tweet_loader.batch_size setting).
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', 0);
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', -1);
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', 100001);
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', 100000);
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', 1);
SET tweet_loader.batch_size = 0;
SET tweet_loader.batch_size = 100001;
-- on_error is 'stop' (the default, also for NULL) or 'skip'.
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', NULL, 'ignore');
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', NULL, 'SKIP');
SELECT pg_temp.try_load('err_batch', :'bad' || 'empty.jsonl', 'batch', NULL, NULL);

-- create_tweet_tables: a second layout in the same schema, unknown layouts.
SET search_path = err_den, public;
SELECT create_tweet_tables('denormalized');
SELECT create_tweet_tables('normalized');
SET search_path = err_none, public;
SELECT create_tweet_tables('normalised');
SELECT create_tweet_tables(NULL);
SELECT count(*) AS relations_in_err_none FROM pg_class WHERE relnamespace = 'err_none'::regnamespace;
RESET search_path;

--
-- The file: path, existence, kind.
--
-- A relative path (relative to what? as COPY, it is refused).
SELECT pg_temp.try_load('err_batch', 'data/bad/empty.jsonl', 'batch');
SELECT pg_temp.try_load('err_batch', '', 'batch');
SELECT pg_temp.try_load('err_batch', :'bad' || 'no_such_file.jsonl', 'batch');
SELECT pg_temp.try_load('err_batch', :'bad' || 'no_such_dir/x.jsonl', 'batch');
SELECT pg_temp.try_load('err_batch', :'abs_srcdir' || '/data/bad', 'batch');
SELECT pg_temp.try_load('err_batch', :'abs_srcdir' || '/data/bad/', 'batch');
-- An empty file loads nothing, like COPY.
SELECT * FROM pg_temp.try_modes(:'bad' || 'empty.jsonl');
-- A file the server may not read (made by the server's own account, then
-- closed to everyone, the owner included).
COPY (SELECT '{}') TO PROGRAM 'cat > /tmp/tweet_loader_regress_unreadable.jsonl && chmod 000 /tmp/tweet_loader_regress_unreadable.jsonl';
SELECT pg_temp.try_load('err_batch', '/tmp/tweet_loader_regress_unreadable.jsonl', 'batch');
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/tweet_loader_regress_unreadable.jsonl';
-- A FIFO (opening one would wait for a writer, out of reach of a cancel)
-- and a device are refused.
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/tweet_loader_regress_fifo.jsonl; mkfifo /tmp/tweet_loader_regress_fifo.jsonl';
SELECT pg_temp.try_load('err_batch', '/tmp/tweet_loader_regress_fifo.jsonl', 'batch');
SELECT pg_temp.try_load('err_den', '/dev/null', 'denormalized');
COPY (SELECT 1) TO PROGRAM 'cat > /dev/null; rm -f /tmp/tweet_loader_regress_fifo.jsonl';

-- A read-only transaction may not load, in any mode.
BEGIN READ ONLY;
SELECT * FROM pg_temp.try_modes(:'abs_srcdir' || '/../data/sample-03.jsonl');
ROLLBACK;

--
-- Broken containers and bytes that are not UTF-8: errors of the file.
--
SELECT * FROM pg_temp.try_modes(:'bad' || 'truncated.jsonl.gz');
SELECT * FROM pg_temp.try_modes(:'bad' || 'bad_crc.jsonl.gz');
SELECT * FROM pg_temp.try_modes(:'bad' || 'truncated.jsonl.zip');
-- The lines of the member are all valid tweets; only its CRC-32 is wrong.
SELECT * FROM pg_temp.try_modes(:'bad' || 'bad_crc.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'broken_central_directory.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'directory_with_data.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'unsupported_method.jsonl.zip');
-- A local header that disagrees with the central directory, as unzip -t
-- refuses it: CRC-32, size, method, name.
SELECT * FROM pg_temp.try_modes(:'bad' || 'local_header_crc.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'local_header_size.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'local_header_method.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'local_header_name.jsonl.zip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'not_utf8.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'nul_byte.jsonl');
-- on_error => 'skip' skips bad lines, not a broken file.
SELECT * FROM pg_temp.try_modes(:'bad' || 'bad_crc.jsonl.gz', NULL, 'skip');
SELECT * FROM pg_temp.try_modes(:'bad' || 'not_utf8.jsonl', NULL, 'skip');

--
-- Bad lines: line 1 of each file is a good tweet, line 2 is bad.
--
SELECT * FROM pg_temp.try_modes(:'bad' || 'not_json.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'not_object.jsonl');
-- The byte order mark starting the file is skipped, the one on line 2 is not.
SELECT * FROM pg_temp.try_modes(:'bad' || 'byte_order_mark.jsonl');
BEGIN;
SET LOCAL client_min_messages = error;
SELECT * FROM pg_temp.try_modes(:'bad' || 'byte_order_mark.jsonl', NULL, 'skip');
ROLLBACK;
SELECT * FROM pg_temp.try_modes(:'bad' || 'unpaired_surrogate.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'no_id.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'no_user.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'no_created_at.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'id_string.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'entities_array.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'retweet_count_40000.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'id_above_bigint.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'deep_nesting.jsonl');

--
-- Atomicity: lines 1 and 2 are good, line 3 is bad; nothing remains.
-- With a batch of 1 the good lines have been written before line 3 is read.
--
SELECT * FROM pg_temp.try_modes(:'bad' || 'some_bad_lines.jsonl');
SELECT * FROM pg_temp.try_modes(:'bad' || 'some_bad_lines.jsonl', 1);
-- Top-level statements (only the SQLSTATE is shown, the message has the
-- path): a failing load leaves the committed rows as they were, a savepoint
-- rolls back only the failing load, and the error aborts the transaction.
\pset format aligned
\pset tuples_only off
SET search_path = err_batch, public;
SET client_min_messages = error;
SELECT tweets, bad_lines FROM load_tweets(:'bad' || 'some_bad_lines.jsonl', 'batch', on_error => 'skip');
\set VERBOSITY sqlstate
SELECT * FROM load_tweets(:'bad' || 'some_bad_lines.jsonl', 'batch', batch_size => 1);
\set VERBOSITY default
SELECT count(*) AS tweets_committed FROM tweets;
BEGIN;
SELECT tweets FROM load_tweets(:'bad' || 'some_bad_lines.jsonl', 'batch', on_error => 'skip');
SAVEPOINT before_bad;
\set VERBOSITY sqlstate
SELECT * FROM load_tweets(:'bad' || 'some_bad_lines.jsonl', 'batch');
\set VERBOSITY default
ROLLBACK TO before_bad;
SELECT count(*) AS tweets_after_savepoint FROM tweets;
\set VERBOSITY sqlstate
SELECT * FROM load_tweets(:'bad' || 'some_bad_lines.jsonl', 'batch');
\set VERBOSITY default
SELECT 1;
ROLLBACK;
SELECT count(*) AS tweets_after_rollback FROM tweets;
SET client_min_messages = warning;
RESET search_path;
\pset format unaligned
\pset tuples_only on

--
-- on_error => 'skip': the good lines load, the bad ones are counted, and the
-- first 5 are reported as warnings. Shown by a second session whose output
-- has <srcdir> in place of the source directory.
--
\setenv PGDATABASE :DBNAME
\! psql -X -q -c "SET search_path = err_den, public" -c "SELECT * FROM load_tweets('$PG_ABS_SRCDIR/data/bad/some_bad_lines.jsonl', 'denormalized', on_error => 'skip')" 2>&1 | sed "s|$PG_ABS_SRCDIR|<srcdir>|g"
\! psql -X -q -c "SET search_path = err_norm, public" -c "SELECT * FROM load_tweets('$PG_ABS_SRCDIR/data/bad/some_bad_lines.jsonl', 'normalized', on_error => 'skip')" 2>&1 | sed "s|$PG_ABS_SRCDIR|<srcdir>|g"
\! psql -X -q -c "SET search_path = err_batch, public" -c "SELECT * FROM load_tweets('$PG_ABS_SRCDIR/data/bad/some_bad_lines.jsonl', 'batch', batch_size => 2, on_error => 'skip')" 2>&1 | sed "s|$PG_ABS_SRCDIR|<srcdir>|g"
-- The same, without warnings, in every mode (the tables are emptied first).
TRUNCATE err_den.tweets_jsonb;
TRUNCATE err_norm.tweets, err_norm.users, err_norm.urls, err_norm.tweet_urls,
         err_norm.tweet_mentions, err_norm.tweet_tags, err_norm.tweet_media;
TRUNCATE err_batch.tweets, err_batch.users, err_batch.tweet_urls,
         err_batch.tweet_mentions, err_batch.tweet_tags, err_batch.tweet_media;
SET client_min_messages = error;
SELECT pg_temp.try_load('err_den', :'bad' || 'some_bad_lines.jsonl', 'denormalized', NULL, 'skip');
SELECT pg_temp.try_load('err_norm', :'bad' || 'some_bad_lines.jsonl', 'normalized', NULL, 'skip');
SELECT pg_temp.try_load('err_batch', :'bad' || 'some_bad_lines.jsonl', 'batch', 3, 'skip');
SET client_min_messages = warning;
\pset format aligned
\pset tuples_only off
-- The good lines are 1, 2, 4 and 12: tweets 1001, 1002, 1003, 1011.
SELECT id_tweets, id_users, text FROM err_den.tweets ORDER BY 1;
SELECT id_tweets, id_users, text FROM err_norm.tweets ORDER BY 1;
SELECT id_tweets, id_users, text FROM err_batch.tweets ORDER BY 1;
SELECT id_tweets, tag FROM err_norm.tweet_tags ORDER BY 1;

-- Not an error: a zip's folder entries (zip -r) hold no data and are passed
-- over; the 3 tweets of its one member load.
CREATE SCHEMA err_zipdir;
SET search_path = err_zipdir, public;
SELECT create_tweet_tables('normalized');
RESET search_path;
SELECT pg_temp.try_load('err_zipdir', :'bad' || 'directory_entry.jsonl.zip', 'batch');
SELECT id_tweets, text FROM err_zipdir.tweets ORDER BY 1;

-- The staging tables of the normalized loads, kept for the session, hold
-- no rows.
SELECT count(*) AS staging_tables,
       sum((xpath('/row/n/text()', query_to_xml(
           format('SELECT count(*) AS n FROM %s', c.oid::regclass),
           false, true, '')))[1]::text::int) AS staged_rows
FROM pg_class c
WHERE c.relname LIKE 'tweet_loader_stage%' AND c.relnamespace = pg_my_temp_schema();
-- The server never restarted.
SELECT pg_postmaster_start_time() = current_setting('tweet_test.started')::timestamptz AS same_server;

DROP SCHEMA err_none, err_den, err_norm, err_batch, err_zipdir CASCADE;

-- A database whose encoding is not UTF8 is refused: the files are UTF-8 and
-- their text goes into the tables without conversion.
\set regress_db :DBNAME
CREATE DATABASE tweet_loader_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c tweet_loader_latin1
SET client_min_messages = warning;
CREATE EXTENSION tweet_loader CASCADE;
SELECT create_tweet_tables('denormalized');
SELECT * FROM load_tweets(:'abs_srcdir' || '/../data/sample-03.jsonl', 'denormalized');
SELECT count(*) FROM tweets_jsonb;
\c :regress_db
DROP DATABASE tweet_loader_latin1;
