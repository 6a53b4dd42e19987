-- The nine checks of the assignment, as temporary views answer_1 ..
-- answer_9 over the tweet tables found on the current search_path. They are
-- written so that every layout gives the same answers: duplicate rows of the
-- normalized_batch layout and of the denormalized views count once.
--   \ir scripts/nine_answers.sql  then  SELECT * FROM answer_5;

-- (1) distinct tweets
CREATE OR REPLACE TEMP VIEW answer_1 AS
SELECT count(DISTINCT id_tweets) AS n FROM tweets;

-- (2) distinct (tweet, mentioned user) pairs
CREATE OR REPLACE TEMP VIEW answer_2 AS
SELECT count(*) AS n FROM (SELECT DISTINCT id_tweets, id_users FROM tweet_mentions) m;

-- (3) distinct (tweet, tag) pairs
CREATE OR REPLACE TEMP VIEW answer_3 AS
SELECT count(*) AS n FROM (SELECT DISTINCT id_tweets, tag FROM tweet_tags) t;

-- (4) media rows (distinct tweet, url, type)
CREATE OR REPLACE TEMP VIEW answer_4 AS
SELECT count(*) AS n FROM (SELECT DISTINCT * FROM tweet_media) m;

-- (5) tags of the tweets tagged #coronavirus in any case, lower-cased, with
-- the number of such tweets using each
CREATE OR REPLACE TEMP VIEW answer_5 AS
SELECT lower(t2.tag) AS tag, count(DISTINCT t2.id_tweets) AS count
FROM tweet_tags t1
JOIN tweet_tags t2 ON t2.id_tweets = t1.id_tweets
WHERE lower(t1.tag) = '#coronavirus'
GROUP BY 1;

-- (6) the same tags with the number of all tweets using each
CREATE OR REPLACE TEMP VIEW answer_6 AS
SELECT lower(tag) AS tag, count(DISTINCT id_tweets) AS total
FROM tweet_tags
WHERE lower(tag) IN (SELECT tag FROM answer_5)
GROUP BY 1;

-- (7) tweets tagged exactly #coronavirus per country
CREATE OR REPLACE TEMP VIEW answer_7 AS
SELECT t.country_code::text AS country_code, count(DISTINCT t.id_tweets) AS count
FROM tweet_tags g
JOIN tweets t ON t.id_tweets = g.id_tweets
WHERE g.tag = '#coronavirus'
GROUP BY 1;

-- (8) English tweets tagged exactly #coronavirus, with their text length
CREATE OR REPLACE TEMP VIEW answer_8 AS
SELECT DISTINCT t.id_tweets AS id, length(t.text) AS length
FROM tweet_tags g
JOIN tweets t ON t.id_tweets = g.id_tweets
WHERE g.tag = '#coronavirus' AND t.lang = 'en';

-- (9) tweets tagged exactly #coronavirus per day (UTC)
CREATE OR REPLACE TEMP VIEW answer_9 AS
SELECT date_trunc('day', t.created_at AT TIME ZONE 'UTC') AS day,
       count(DISTINCT t.id_tweets) AS count
FROM tweet_tags g
JOIN tweets t ON t.id_tweets = g.id_tweets
WHERE g.tag = '#coronavirus'
GROUP BY 1;
