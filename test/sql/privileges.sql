-- Who may load files: reading a server file needs the privileges of
-- pg_read_server_files, as COPY FROM a file does. EXECUTE on load_tweets is
-- revoked from PUBLIC, and the function checks the role itself, so a grant
-- of EXECUTE alone is not enough. create_tweet_tables runs with the
-- caller's rights. The roles are cluster-wide: unique names, dropped at the
-- end.
\getenv abs_srcdir PG_ABS_SRCDIR
\set sample :abs_srcdir '/../data/sample-03.jsonl'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;

-- regress_tweet_loader_plain: no superuser, no pg_read_server_files.
-- regress_tweet_loader_reader: a member of pg_read_server_files.
-- regress_tweet_loader_noinherit: a member that does not inherit its rights.
CREATE ROLE regress_tweet_loader_plain;
CREATE ROLE regress_tweet_loader_reader IN ROLE pg_read_server_files;
CREATE ROLE regress_tweet_loader_noinherit NOINHERIT IN ROLE pg_read_server_files;

-- The grants the extension makes.
SELECT grantee, privilege_type FROM information_schema.routine_privileges
WHERE routine_name = 'load_tweets' ORDER BY grantee;

-- An admin's schema with tables; the plain role may use it, not create in it.
CREATE SCHEMA priv_admin;
GRANT USAGE ON SCHEMA priv_admin TO regress_tweet_loader_plain,
    regress_tweet_loader_reader, regress_tweet_loader_noinherit;
SET search_path = priv_admin, public;
SELECT create_tweet_tables('normalized_batch');
-- An admin's schema without tables, which the plain role may use.
CREATE SCHEMA priv_nocreate;
GRANT USAGE ON SCHEMA priv_nocreate TO regress_tweet_loader_plain;
-- Schemas of their own.
CREATE SCHEMA priv_plain AUTHORIZATION regress_tweet_loader_plain;
CREATE SCHEMA priv_reader AUTHORIZATION regress_tweet_loader_reader;
RESET search_path;

--
-- The plain role.
--
SET ROLE regress_tweet_loader_plain;
SET search_path = priv_admin, public;
SELECT has_function_privilege('load_tweets(text, text, integer, text, text)', 'EXECUTE');
SELECT * FROM load_tweets(:'sample', 'batch');
-- It may not create the layout in a schema of the admin's...
SET search_path = priv_nocreate, public;
\set VERBOSITY terse
SELECT create_tweet_tables('normalized_batch');
SELECT create_tweet_tables('denormalized');
SELECT create_tweet_tables('normalized');
\set VERBOSITY default
SELECT count(*) AS relations FROM pg_class WHERE relnamespace = 'priv_nocreate'::regnamespace;
-- ...but in its own schema.
SET search_path = priv_plain, public;
SELECT create_tweet_tables('normalized_batch');
SELECT relname, pg_get_userbyid(relowner) AS owner FROM pg_class
WHERE relnamespace = 'priv_plain'::regnamespace AND relkind IN ('r', 'm')
ORDER BY relname;
-- Still it may not load into its own tables.
SELECT * FROM load_tweets(:'sample', 'batch');
RESET ROLE;

-- An admin grants EXECUTE to the plain role: the function still refuses
-- (the error names no path, so it is shown as it is).
GRANT EXECUTE ON FUNCTION load_tweets(text, text, integer, text, text) TO regress_tweet_loader_plain;
SET ROLE regress_tweet_loader_plain;
SET search_path = priv_plain, public;
SELECT * FROM load_tweets(:'sample', 'batch');
-- The check comes before anything about the file or the mode.
SELECT * FROM load_tweets('/no/such/file', 'no such mode');
SELECT count(*) AS tweets FROM tweets;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION load_tweets(text, text, integer, text, text) FROM regress_tweet_loader_plain;

-- A member that does not inherit the rights of pg_read_server_files has
-- none of them.
SET ROLE regress_tweet_loader_noinherit;
SELECT has_function_privilege('load_tweets(text, text, integer, text, text)', 'EXECUTE');
SELECT * FROM load_tweets(:'sample', 'batch');
RESET ROLE;

--
-- The reader role.
--
SET ROLE regress_tweet_loader_reader;
SELECT has_function_privilege('load_tweets(text, text, integer, text, text)', 'EXECUTE');
-- It needs INSERT on the tables: the admin's tables refuse it (terse: the
-- CONTEXT line names the file).
SET search_path = priv_admin, public;
\set VERBOSITY terse
SELECT * FROM load_tweets(:'sample', 'batch');
\set VERBOSITY default
-- Into tables it owns it loads, in every layout.
SET search_path = priv_reader, public;
SELECT create_tweet_tables('normalized_batch');
SELECT tweets, skipped, bad_lines, rows FROM load_tweets(:'sample', 'batch');
SELECT count(*) AS tweets, count(DISTINCT id_users) AS users FROM tweets;
RESET ROLE;
-- The admin's tables: an INSERT grant on each table is enough.
GRANT INSERT ON ALL TABLES IN SCHEMA priv_admin TO regress_tweet_loader_reader;
SET ROLE regress_tweet_loader_reader;
SET search_path = priv_admin, public;
SELECT tweets, skipped, bad_lines FROM load_tweets(:'sample', 'batch');
RESET ROLE;
SELECT count(*) AS tweets FROM priv_admin.tweets;

-- The normalized layout (row mode uses temporary staging tables) and the
-- denormalized layout, in schemas the reader creates.
RESET search_path;
GRANT CREATE ON DATABASE :"DBNAME" TO regress_tweet_loader_reader;
SET ROLE regress_tweet_loader_reader;
CREATE SCHEMA priv_reader_norm;
CREATE SCHEMA priv_reader_den;
SET search_path = priv_reader_norm, public;
SELECT create_tweet_tables('normalized');
SELECT tweets, skipped, bad_lines, rows FROM load_tweets(:'sample', 'normalized');
SET search_path = priv_reader_den, public;
SELECT create_tweet_tables('denormalized');
SELECT tweets, skipped, bad_lines, rows FROM load_tweets(:'sample', 'denormalized');
SELECT count(*) AS tweets FROM tweets;
RESET ROLE;
RESET search_path;
REVOKE CREATE ON DATABASE :"DBNAME" FROM regress_tweet_loader_reader;

--
-- Clean up: the roles and everything they own.
--
DROP SCHEMA priv_admin, priv_nocreate CASCADE;
DROP OWNED BY regress_tweet_loader_plain, regress_tweet_loader_reader,
    regress_tweet_loader_noinherit;
DROP ROLE regress_tweet_loader_plain, regress_tweet_loader_reader,
    regress_tweet_loader_noinherit;
SELECT count(*) AS roles_left FROM pg_roles WHERE rolname LIKE 'regress_tweet_loader%';
SELECT count(*) AS schemas_left FROM pg_namespace WHERE nspname LIKE 'priv\_%';
