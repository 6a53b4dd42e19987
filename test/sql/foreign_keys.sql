-- The merge into the normalized layout checks the layout's foreign keys
-- itself, one FOR KEY SHARE lock per referenced row, instead of the row by
-- row checks of Postgres, which it skips with session_replication_role =
-- replica. It may only when the tables carry nothing else: a trigger of the
-- user still fires and a foreign key of the user is still checked.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
\set cases :abs_srcdir '/data/cases/mapping.jsonl'
\set sample :abs_srcdir '/../data/sample-03.jsonl'
\set second :abs_srcdir '/data/cases/second_copy.jsonl'

-- Every foreign key of the tables in the current schema: how many rows
-- refer to a row and how many of them to a row that is not there.
CREATE FUNCTION pg_temp.foreign_keys()
RETURNS TABLE (constraint_name name, referencing bigint, dangling bigint)
LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    FOR k IN
        SELECT c.conname, c.conrelid::regclass AS tab, a.attname AS col,
               c.confrelid::regclass AS ref, b.attname AS refcol
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
        ORDER BY c.conname, c.conrelid::regclass::text
    LOOP
        constraint_name := k.conname;
        EXECUTE format(
            'SELECT count(*), count(*) FILTER (WHERE NOT EXISTS '
            '(SELECT FROM %s r WHERE r.%I = t.%I)) FROM %s t WHERE t.%I IS NOT NULL',
            k.ref, k.refcol, k.col, k.tab, k.col)
        INTO referencing, dangling;
        RETURN NEXT;
    END LOOP;
END $$;

-- The layout as created: every key holds after loads that insert, skip
-- and update rows, and the caller's session_replication_role is given back.
CREATE SCHEMA fk_layout;
SET search_path = fk_layout, public;
SELECT create_tweet_tables('normalized');
SELECT tweets FROM load_tweets(:'sample', 'batch');
BEGIN;
SET LOCAL session_replication_role = local;
SELECT tweets FROM load_tweets(:'cases', 'batch');
SHOW session_replication_role;
COMMIT;
SELECT tweets FROM load_tweets(:'second', 'batch');
SELECT * FROM pg_temp.foreign_keys();

-- A trigger of the user's on tweets: the merge keeps the triggers, so it
-- fires for every new tweet.
CREATE SCHEMA fk_trigger;
SET search_path = fk_trigger, public;
SELECT create_tweet_tables('normalized');
CREATE TABLE fk_trigger.new_tweets_log (id_tweets bigint);
CREATE FUNCTION fk_trigger.log_new_tweet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fk_trigger.new_tweets_log VALUES (NEW.id_tweets);
    RETURN NULL;
END $$;
CREATE TRIGGER log_new_tweet AFTER INSERT ON tweets
    FOR EACH ROW EXECUTE FUNCTION fk_trigger.log_new_tweet();
SELECT tweets FROM load_tweets(:'sample', 'batch');
SELECT tweets FROM load_tweets(:'cases', 'batch');
SELECT tweets FROM load_tweets(:'second', 'batch');
SELECT (SELECT count(*) FROM new_tweets_log) AS logged,
       (SELECT count(*) FROM tweets) AS tweets,
       (SELECT count(*) FROM new_tweets_log l
        WHERE NOT EXISTS (SELECT FROM tweets t WHERE t.id_tweets = l.id_tweets)) AS unknown;
SELECT * FROM pg_temp.foreign_keys();
-- Both ways of checking the keys merge the same files into the same rows
-- (url ids compared by their url): rows of each table in fk_layout, and
-- rows in one schema and not the other.
CREATE FUNCTION pg_temp.compare(q text, OUT rows bigint, OUT differing bigint)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT count(*) FROM (%s) r', format(q, 'fk_layout')) INTO rows;
    EXECUTE format('SELECT count(*) FROM ((%1$s EXCEPT %2$s) UNION ALL (%2$s EXCEPT %1$s)) d',
                   format(q, 'fk_layout'), format(q, 'fk_trigger')) INTO differing;
END $$;
SELECT tab, (pg_temp.compare(q)).*
FROM (VALUES ('users', 'SELECT u.*, l.url FROM %1$s.users u LEFT JOIN %1$s.urls l USING (id_urls)'),
             ('tweets', 'SELECT * FROM %1$s.tweets'),
             ('tweet_mentions', 'SELECT * FROM %1$s.tweet_mentions'),
             ('tweet_tags', 'SELECT * FROM %1$s.tweet_tags'),
             ('tweet_urls', 'SELECT id_tweets, url FROM %1$s.tweet_urls JOIN %1$s.urls USING (id_urls)'),
             ('tweet_media', 'SELECT id_tweets, url, type FROM %1$s.tweet_media JOIN %1$s.urls USING (id_urls)'),
             ('urls', 'SELECT url FROM %1$s.urls')) AS t (tab, q)
ORDER BY tab;

-- A foreign key of the user's between the layout's tables: Postgres checks
-- it, and tweet 1 quotes tweet 98, which no line holds: the load fails
-- whole (terse: the CONTEXT line names the file).
CREATE SCHEMA fk_user_key;
SET search_path = fk_user_key, public;
SELECT create_tweet_tables('normalized');
ALTER TABLE tweets ADD FOREIGN KEY (quoted_status_id) REFERENCES tweets (id_tweets);
\set VERBOSITY terse
SELECT tweets FROM load_tweets(:'cases', 'batch');
\set VERBOSITY default
SELECT (SELECT count(*) FROM tweets) AS tweets, (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM urls) AS urls;
-- Without that key the same file loads.
ALTER TABLE tweets DROP CONSTRAINT tweets_quoted_status_id_fkey;
SELECT tweets FROM load_tweets(:'cases', 'batch');

-- A merge that checks the keys itself and fails half way (a CHECK of the
-- user's that no loaded tweet meets): the load fails whole, and the
-- session's keys are checked again at once, by Postgres.
CREATE SCHEMA fk_failed;
SET search_path = fk_failed, public;
SELECT create_tweet_tables('normalized');
ALTER TABLE tweets ADD CONSTRAINT no_tweets CHECK (id_tweets < 0);
\set VERBOSITY terse
SELECT tweets FROM load_tweets(:'sample', 'batch');
SELECT tweets FROM load_tweets(:'sample', 'normalized');
SHOW session_replication_role;
INSERT INTO tweet_tags VALUES (1, 'no such tweet');
\set VERBOSITY default
SELECT (SELECT count(*) FROM tweets) AS tweets, (SELECT count(*) FROM users) AS users;
ALTER TABLE tweets DROP CONSTRAINT no_tweets;
SELECT tweets FROM load_tweets(:'sample', 'batch');
SELECT * FROM pg_temp.foreign_keys();

-- Row-level security on one of the tables: the merge leaves the checks to
-- Postgres. Which way a load checked the keys shows in the users rows it
-- updated: with Postgres's checks, the new users are stored before their
-- urls and get their id_urls afterwards; the first load into empty tables
-- updates none otherwise.
CREATE FUNCTION pg_temp.keys_checked_by(path text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM load_tweets(path, 'batch');
    RETURN CASE WHEN (SELECT n_tup_upd FROM pg_stat_xact_user_tables
                      WHERE relid = 'users'::regclass) > 0
                THEN 'Postgres' ELSE 'the merge' END;
END $$;
CREATE SCHEMA fk_rls;
SET search_path = fk_rls, public;
SELECT create_tweet_tables('normalized');
SELECT pg_temp.keys_checked_by(:'sample') AS plain_tables;
TRUNCATE tweets, users, urls, tweet_urls, tweet_mentions, tweet_tags, tweet_media;
ALTER TABLE tweet_tags ENABLE ROW LEVEL SECURITY;
SELECT pg_temp.keys_checked_by(:'sample') AS row_security_on_tweet_tags;
SELECT count(*) AS tweets FROM tweets;
SELECT * FROM pg_temp.foreign_keys();
-- A partitioned table among them: its partitions carry triggers of their
-- own, so the checks stay with Postgres too.
TRUNCATE tweets, users, urls, tweet_urls, tweet_mentions, tweet_tags, tweet_media;
ALTER TABLE tweet_tags DISABLE ROW LEVEL SECURITY;
DROP TABLE tweet_media;
CREATE TABLE tweet_media (
    id_tweets bigint REFERENCES tweets (id_tweets),
    id_urls bigint REFERENCES urls (id_urls),
    type text,
    PRIMARY KEY (id_tweets, id_urls)) PARTITION BY HASH (id_tweets);
CREATE TABLE tweet_media_0 PARTITION OF tweet_media FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE tweet_media_1 PARTITION OF tweet_media FOR VALUES WITH (MODULUS 2, REMAINDER 1);
SELECT pg_temp.keys_checked_by(:'sample') AS partitioned_tweet_media;
SELECT count(*) AS media, count(DISTINCT tableoid) AS partitions FROM tweet_media;
SELECT * FROM pg_temp.foreign_keys();

-- A url the loaded rows refer to, deleted by another transaction while the
-- merge runs: the merge's lock finds it gone and the load fails whole with
-- 23503. This session is the other transaction. It inserts a url that the
-- load needs after the first one, so the load waits for it there, having
-- found the first url stored; then it deletes the first url and commits.
-- The load runs in a second session (dblink).
CREATE SCHEMA fk_deleted;
SET search_path = fk_deleted, public;
CREATE EXTENSION dblink;  -- in fk_deleted, dropped with it
SELECT create_tweet_tables('normalized');
CREATE FUNCTION fk_deleted.try_load(path text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM load_tweets(path, 'batch');
    RETURN 'loaded';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
\set deleted :abs_srcdir '/data/cases/url_deleted.jsonl'
INSERT INTO urls (url) VALUES ('http://a.example/deleted');
SELECT dblink_connect('loader', format('dbname=%s host=%s port=%s',
    current_database(), split_part(current_setting('unix_socket_directories'), ',', 1),
    current_setting('port')));
SELECT dblink_exec('loader', 'SET search_path = fk_deleted, public');
BEGIN;
INSERT INTO urls (url) VALUES ('http://b.example/held');
SELECT dblink_send_query('loader', format('SELECT fk_deleted.try_load(%L)', :'deleted'));
CREATE FUNCTION pg_temp.load_waits_for_me() RETURNS boolean LANGUAGE sql AS $$
SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted
               AND transactionid = pg_current_xact_id()::xid)
$$;
DO $$
BEGIN
    FOR i IN 1..600 LOOP  -- 30 s at most
        EXIT WHEN pg_temp.load_waits_for_me();
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
SELECT pg_temp.load_waits_for_me();
DELETE FROM urls WHERE url = 'http://a.example/deleted';
COMMIT;
SELECT * FROM dblink_get_result('loader') AS r(result text);
SELECT * FROM dblink_get_result('loader') AS r(result text);
SELECT (SELECT count(*) FROM tweets) AS tweets, (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM tweet_urls) AS tweet_urls,
       (SELECT array_agg(url ORDER BY url) FROM urls) AS urls;
-- Loaded again, the file stores the deleted url anew.
SELECT fk_deleted.try_load(:'deleted');
SELECT l.url FROM tweet_urls JOIN urls l USING (id_urls) ORDER BY 1;
SELECT * FROM pg_temp.foreign_keys();
SELECT dblink_disconnect('loader');

RESET search_path;
DROP SCHEMA fk_layout, fk_trigger, fk_user_key, fk_rls, fk_deleted CASCADE;
