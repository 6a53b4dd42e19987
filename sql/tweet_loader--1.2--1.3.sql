-- tweet_loader 1.2 -> 1.3: Citus. create_tweet_tables takes distributed =>
-- true to make a layout of Citus tables, and load_tweets writes layouts of
-- Citus tables through Citus (docs/citus.md).

\echo Use "ALTER EXTENSION tweet_loader UPDATE TO '1.3'" to load this file. \quit

DROP FUNCTION create_tweet_tables(text);

-- Creates one layout in the current schema: 'denormalized', 'normalized' or
-- 'normalized_batch', with the caller's rights. distributed => true makes
-- them Citus tables (on the coordinator of a Citus cluster): the tweets and
-- their child rows hash-distributed on the tweet id and co-located.
CREATE FUNCTION create_tweet_tables(layout text, distributed boolean DEFAULT false) RETURNS void
AS 'MODULE_PATHNAME', 'create_tweet_tables'
LANGUAGE C VOLATILE;
