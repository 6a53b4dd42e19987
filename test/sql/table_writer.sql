-- The multi-insert path writes rows the way COPY FROM does: index entries
-- for every row, AFTER ROW triggers queued and fired (foreign keys are such
-- triggers), statement triggers, the constraints a user added; what it
-- cannot do is refused, as is a table whose columns are not the layout's.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
\set cases :abs_srcdir '/data/cases/mapping.jsonl'
\set VERBOSITY terse

CREATE SCHEMA writer;
SET search_path = writer, public;
SELECT create_tweet_tables('normalized_batch');

-- A foreign key added by the user is checked: the mentioned users 200, 300
-- and 500 of the file are not all allowed, so the load fails as a whole.
CREATE TABLE allowed_users (id_users bigint PRIMARY KEY);
INSERT INTO allowed_users VALUES (200), (300);
ALTER TABLE tweet_mentions ADD FOREIGN KEY (id_users) REFERENCES allowed_users;
SELECT tweets FROM load_tweets(:'cases', 'batch');
SELECT count(*) AS tweets_left FROM tweets;
INSERT INTO allowed_users VALUES (500);
SELECT tweets FROM load_tweets(:'cases', 'batch');

-- AFTER ROW and statement triggers fire once per row and per statement.
CREATE TABLE fired (kind text, n bigint);
CREATE FUNCTION count_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE fired SET n = n + 1 WHERE kind = 'row';
    RETURN NULL;
END $$;
CREATE FUNCTION count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE fired SET n = n + 1 WHERE kind = 'statement';
    RETURN NULL;
END $$;
INSERT INTO fired VALUES ('row', 0), ('statement', 0);
CREATE TRIGGER tags_row AFTER INSERT ON tweet_tags FOR EACH ROW EXECUTE FUNCTION count_row();
CREATE TRIGGER tags_statement AFTER INSERT ON tweet_tags FOR EACH STATEMENT EXECUTE FUNCTION count_statement();
TRUNCATE tweet_tags;
SELECT rows->'tweet_tags' AS tags FROM load_tweets(:'cases', 'batch', 3);
SELECT * FROM fired ORDER BY kind;

-- Index entries are made for every row: an index scan finds them all.
SET enable_seqscan = off;
SELECT count(*) AS tags_by_index FROM tweet_tags WHERE id_tweets = 1;
EXPLAIN (COSTS OFF) SELECT count(*) FROM tweet_tags WHERE id_tweets = 1;
RESET enable_seqscan;

-- BEFORE ROW triggers and row-level security (which binds a role that is
-- not a superuser) are refused, and nothing is written.
CREATE FUNCTION keep_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END $$;
CREATE TRIGGER media_before BEFORE INSERT ON tweet_media FOR EACH ROW EXECUTE FUNCTION keep_row();
SELECT tweets FROM load_tweets(:'cases', 'batch');
DROP TRIGGER media_before ON tweet_media;
CREATE ROLE regress_tweet_loader_rls IN ROLE pg_read_server_files;
GRANT USAGE ON SCHEMA writer TO regress_tweet_loader_rls;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA writer TO regress_tweet_loader_rls;
ALTER TABLE tweet_urls ENABLE ROW LEVEL SECURITY;
CREATE POLICY everything ON tweet_urls USING (true) WITH CHECK (true);
SET ROLE regress_tweet_loader_rls;
SELECT tweets FROM load_tweets(:'cases', 'batch');
RESET ROLE;
ALTER TABLE tweet_urls DISABLE ROW LEVEL SECURITY;
SELECT count(*) AS tweets_after_refusals FROM tweets;

-- Constraints a user added are checked as COPY FROM checks them, and the
-- load fails as a whole: a CHECK, a NOT NULL, a deferrable unique key
-- (tweet 1 has the tag #a twice; its trigger checks at the end of the
-- statement), a partition's bound (tweet 2 has media).
TRUNCATE tweets, users, tweet_urls, tweet_mentions, tweet_tags, tweet_media;
ALTER TABLE tweets ADD CONSTRAINT not_arabic CHECK (lang <> 'ar');
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweets DROP CONSTRAINT not_arabic;
ALTER TABLE tweets ALTER COLUMN source SET NOT NULL;
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweets ALTER COLUMN source DROP NOT NULL;
ALTER TABLE tweet_tags ADD CONSTRAINT one_tag UNIQUE (id_tweets, tag) DEFERRABLE;
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweet_tags DROP CONSTRAINT one_tag;
CREATE TABLE media_by_tweet (LIKE tweet_media) PARTITION BY RANGE (id_tweets);
ALTER TABLE media_by_tweet ATTACH PARTITION tweet_media FOR VALUES FROM (1) TO (2);
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE media_by_tweet DETACH PARTITION tweet_media;
SELECT (SELECT count(*) FROM tweets) + (SELECT count(*) FROM users)
       + (SELECT count(*) FROM tweet_urls) + (SELECT count(*) FROM tweet_mentions)
       + (SELECT count(*) FROM tweet_tags) + (SELECT count(*) FROM tweet_media)
       AS rows_after_violations;

-- Every column must have the type the loader makes its values for (a value
-- of another type would be stored as garbage), typmod included.
\set VERBOSITY default
\set SHOW_CONTEXT never
ALTER TABLE tweets ALTER COLUMN retweet_count TYPE text;
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweets ALTER COLUMN retweet_count TYPE smallint USING retweet_count::smallint;
ALTER TABLE tweets ALTER COLUMN country_code TYPE varchar(3);
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweets ALTER COLUMN country_code TYPE varchar(2);
ALTER TABLE users ALTER COLUMN withheld_in_countries TYPE text[];
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE users ALTER COLUMN withheld_in_countries TYPE varchar(2)[];
ALTER TABLE tweets ALTER COLUMN geo TYPE geometry(Geometry, 4326);
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweets ALTER COLUMN geo TYPE geography;
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweets ALTER COLUMN geo TYPE geometry USING geo::geometry;
-- Back in shape, the tables load again.
SELECT tweets, rows FROM load_tweets(:'cases', 'batch');

-- A table with other columns is refused, one whose column was dropped too.
ALTER TABLE tweet_tags RENAME COLUMN tag TO hashtag;
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweet_tags RENAME COLUMN hashtag TO tag;
DROP TABLE tweet_media;
CREATE TABLE tweet_media (id_tweets bigint, url text);
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweet_urls ADD COLUMN extra int;
SELECT tweets FROM load_tweets(:'cases', 'batch');
ALTER TABLE tweet_urls DROP COLUMN extra;
SELECT tweets FROM load_tweets(:'cases', 'batch');
\set VERBOSITY terse
\set SHOW_CONTEXT errors

RESET search_path;
DROP SCHEMA writer CASCADE;
DROP OWNED BY regress_tweet_loader_rls;
DROP ROLE regress_tweet_loader_rls;
