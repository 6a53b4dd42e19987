-- The mapping rules, case by case, on hand-made lines (data/cases/
-- mapping.jsonl, written by data/cases/make_cases.py). Every expected value
-- below is known by construction of those lines; each check prints the rows
-- that differ from it, so an empty result is a pass.
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tweet_loader CASCADE;
\set cases :abs_srcdir '/data/cases/mapping.jsonl'
SET timezone = 'UTC';

-- Rows in one query and not the other, either way.
CREATE FUNCTION pg_temp.differ(actual text, expected text)
RETURNS TABLE (side text, row_text text) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        '(SELECT ''unexpected'', a::text FROM (%1$s EXCEPT %2$s) a)
         UNION ALL
         (SELECT ''missing'', e::text FROM (%2$s EXCEPT %1$s) e) ORDER BY 1, 2',
        actual, expected);
END $$;

-- What every layout must hold (distinct rows).
CREATE VIEW pg_temp.expected_tweets (id_tweets, id_users, created_at,
    in_reply_to_status_id, in_reply_to_user_id, quoted_status_id, retweet_count,
    favorite_count, quote_count, withheld_copyright, withheld_in_countries,
    source, text, country_code, state_code, lang, place_name, geo) AS VALUES
  (1::bigint, 100::bigint, '2021-01-01 00:00:01+00'::timestamptz, 99::bigint, 300::bigint, 98::bigint,
   5::smallint, 6::smallint, 7::smallint, true, '{FR}'::text[], 'web',
   E'hello world \\u0000 kept \U0001F469\u200D\U0001F4BB', 'us', 'tx', 'en', 'Austin, TX', 'POINT(40.5 -73.25)'),
  (2, 100, '2021-01-02 00:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   'the full text', 'gb', NULL, 'en', 'London, England',
   'MULTIPOLYGON(((-0.5 51.25,0.25 51.25,0.25 51.75,-0.5 51.75,-0.5 51.25)))'),
  (3, 100, '2021-01-02 00:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   E'tie \u0645\u0631\u062d\u0628\u0627 \u4f60\u597d', 'us', NULL, 'ar', 'Florida, USA', NULL),
  (4, 200, '2020-12-31 23:59:59+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', NULL,
   'bob speaks', NULL, NULL, 'en', NULL, NULL),
  (5, 400, '2021-01-03 12:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   'RT @eve: inner', NULL, NULL, 'en', NULL, NULL),
  (8, 400, '2021-01-03 10:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   'a text longer than 140 characters once #rest', NULL, NULL, 'en', NULL, NULL);
CREATE VIEW pg_temp.expected_tags (id_tweets, tag) AS VALUES
  (1::bigint, '#CoronaVirus'), (1, '#a'), (1, '$TSLA'), (2, '#ext'), (4, '#coronavirus'),
  (8, '#rest');
CREATE VIEW pg_temp.expected_mentions (id_tweets, id_users) AS VALUES
  (1::bigint, 200::bigint), (3, 300), (5, 500);
CREATE VIEW pg_temp.expected_urls (id_tweets, url) AS VALUES
  (1::bigint, 'http://x.example/1');
CREATE VIEW pg_temp.expected_media (id_tweets, url, type) AS VALUES
  (2::bigint, 'http://m.example/1.jpg', 'photo');

-- The checks for the layout on the search_path; url_of(x) gives the url
-- column of a table (id_urls resolved in the normalized layout).
CREATE FUNCTION pg_temp.check_layout(url_join text)
RETURNS TABLE (tab text, side text, row_text text) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT 'tweets', d.* FROM pg_temp.differ(
        'SELECT DISTINCT id_tweets, id_users, created_at, in_reply_to_status_id, in_reply_to_user_id,
                quoted_status_id, retweet_count, favorite_count, quote_count, withheld_copyright,
                withheld_in_countries::text[], source, text, country_code::text, state_code::text,
                lang, place_name, ST_AsText(geo) FROM tweets',
        'SELECT * FROM pg_temp.expected_tweets') d;
    RETURN QUERY SELECT 'tweet_tags', d.* FROM pg_temp.differ(
        'SELECT DISTINCT id_tweets, tag FROM tweet_tags', 'SELECT * FROM pg_temp.expected_tags') d;
    RETURN QUERY SELECT 'tweet_mentions', d.* FROM pg_temp.differ(
        'SELECT DISTINCT id_tweets, id_users FROM tweet_mentions',
        'SELECT * FROM pg_temp.expected_mentions') d;
    RETURN QUERY SELECT 'tweet_urls', d.* FROM pg_temp.differ(
        format('SELECT DISTINCT id_tweets, url FROM tweet_urls %s', url_join),
        'SELECT * FROM pg_temp.expected_urls') d;
    RETURN QUERY SELECT 'tweet_media', d.* FROM pg_temp.differ(
        format('SELECT DISTINCT id_tweets, url, type FROM tweet_media %s', url_join),
        'SELECT * FROM pg_temp.expected_media') d;
END $$;

-- denormalized: one row per tweet line (the duplicate line included)
CREATE SCHEMA map_denormalized;
SET search_path = map_denormalized, public;
SELECT create_tweet_tables('denormalized');
SET tweet_loader.check_jsonb = on;  -- the built jsonb must be jsonb_in's
SELECT * FROM load_tweets(:'cases', 'denormalized');
RESET tweet_loader.check_jsonb;
SELECT * FROM pg_temp.check_layout('');
SELECT count(*) AS jsonb_rows, count(DISTINCT data->'id') AS tweets FROM tweets_jsonb;
-- U+0000 is gone from the stored JSON, the escaped backslash is kept
SELECT data->'user'->>'description' AS description, data->>'text' LIKE '%\u0000 kept%' AS kept
FROM tweets_jsonb WHERE data->>'id' = '1' LIMIT 1;

-- normalized, row mode
CREATE SCHEMA map_normalized;
SET search_path = map_normalized, public;
SELECT create_tweet_tables('normalized');
SELECT * FROM load_tweets(:'cases', 'normalized');
SELECT * FROM pg_temp.check_layout('JOIN urls USING (id_urls)');
-- one row per key; users hold the latest full version (created_at, then
-- tweet id), partial rows the latest partial one; a partial never
-- overwrites a full row
SELECT id_users, created_at, updated_at, url, friends_count, listed_count,
       favourites_count, statuses_count, protected, verified, screen_name,
       name, location, description, withheld_in_countries, updated_by
FROM users LEFT JOIN urls USING (id_urls) ORDER BY id_users;
SELECT url FROM urls ORDER BY url;
-- loading the same file again changes nothing
SELECT tweets, rows FROM load_tweets(:'cases', 'normalized');

-- normalized, batch mode (batch size 2: batches split the file)
CREATE SCHEMA map_batch;
SET search_path = map_batch, public;
SELECT create_tweet_tables('normalized');
SELECT * FROM load_tweets(:'cases', 'batch', 2);
SELECT * FROM pg_temp.check_layout('JOIN urls USING (id_urls)');
SELECT (SELECT count(*) FROM pg_temp.differ(
    'SELECT u.*, l.url FROM map_batch.users u LEFT JOIN map_batch.urls l USING (id_urls)',
    'SELECT u.*, l.url FROM map_normalized.users u LEFT JOIN map_normalized.urls l USING (id_urls)'))
    AS users_differing_from_row_mode;

-- Tweets 4 and 7 with their child rows, in the layout on the search_path.
CREATE FUNCTION pg_temp.tweets_4_and_7()
RETURNS TABLE (id_tweets bigint, text text, tags text[], urls bigint,
               mentions bigint, user_url text) LANGUAGE sql AS $$
SELECT t.id_tweets, t.text,
       (SELECT array_agg(tag ORDER BY tag) FROM tweet_tags g WHERE g.id_tweets = t.id_tweets) AS tags,
       (SELECT count(*) FROM tweet_urls u WHERE u.id_tweets = t.id_tweets) AS urls,
       (SELECT count(*) FROM tweet_mentions m WHERE m.id_tweets = t.id_tweets) AS mentions,
       (SELECT l.url FROM users JOIN urls l USING (id_urls) WHERE id_users = t.id_users) AS user_url
FROM tweets t WHERE t.id_tweets IN (4, 7) ORDER BY 1
$$;
-- A second file with tweet 4 again, other contents: in both normalized
-- loads the first version stays, its child rows included; tweet 7's user
-- gets its new url.
\set second :abs_srcdir '/data/cases/second_copy.jsonl'
SELECT tweets, rows FROM load_tweets(:'second', 'normalized');
SET search_path = map_normalized, public;
BEGIN;
SET LOCAL jit = on;  -- the merge runs without JIT, then gives the setting back
SELECT tweets, rows FROM load_tweets(:'second', 'batch');
SHOW jit;
COMMIT;
SELECT * FROM pg_temp.tweets_4_and_7();
SET search_path = map_batch, public;
SELECT * FROM pg_temp.tweets_4_and_7();

-- One file with tweet 9 on lines 1 and 3, other contents: in both
-- normalized loads the first line is the version kept, with its child rows
-- and its user (batch size 1: the two lines in different batches).
\set repeat :abs_srcdir '/data/cases/repeat_in_file.jsonl'
CREATE FUNCTION pg_temp.tweet_9()
RETURNS TABLE (text text, retweet_count integer, tags text[], mentions bigint,
               tweet_urls bigint, user_name text, urls text[]) LANGUAGE sql AS $$
SELECT t.text, t.retweet_count,
       (SELECT array_agg(tag ORDER BY tag) FROM tweet_tags g WHERE g.id_tweets = 9),
       (SELECT count(*) FROM tweet_mentions m WHERE m.id_tweets = 9),
       (SELECT count(*) FROM tweet_urls u WHERE u.id_tweets = 9),
       (SELECT name FROM users WHERE id_users = 900),
       (SELECT array_agg(url ORDER BY url) FROM urls)
FROM tweets t WHERE t.id_tweets = 9
$$;
CREATE SCHEMA map_repeat_row;
SET search_path = map_repeat_row, public;
SELECT create_tweet_tables('normalized');
SELECT tweets, rows FROM load_tweets(:'repeat', 'normalized');
SELECT * FROM pg_temp.tweet_9();
CREATE SCHEMA map_repeat_batch;
SET search_path = map_repeat_batch, public;
SELECT create_tweet_tables('normalized');
SELECT tweets, rows FROM load_tweets(:'repeat', 'batch', 1);
SELECT * FROM pg_temp.tweet_9();

-- normalized_batch: every tweet line adds its rows again
CREATE SCHEMA map_nbatch;
SET search_path = map_nbatch, public;
SELECT create_tweet_tables('normalized_batch');
SELECT * FROM load_tweets(:'cases', 'batch');
SELECT * FROM pg_temp.check_layout('');
SELECT (SELECT count(*) FROM tweets) AS tweets, (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM tweet_tags) AS tags;
SELECT id_users, screen_name, name, updated_by FROM users ORDER BY updated_by, id_users, name;

RESET search_path;
