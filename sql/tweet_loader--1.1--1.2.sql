-- tweet_loader 1.1 -> 1.2: archives. load_tweets reads tar archives and
-- bzip2, xz and zstd streams besides zip and gzip, takes a part => 'k/n'
-- argument to share an archive's members among sessions, and returns the
-- members read, skipped and bad. Lines are numbered within their member.

\echo Use "ALTER EXTENSION tweet_loader UPDATE TO '1.2'" to load this file. \quit

DROP FUNCTION load_tweets(text, text, integer, text);

-- Loads one file server side: plain, gzip, bzip2, xz or zstd JSON lines, or
-- the members of a zip or tar archive (itself maybe compressed), told apart
-- by content. mode: 'denormalized' | 'normalized' | 'batch'. Atomic: on
-- error nothing of the file remains. part 'k/n' loads the members whose
-- index, from 0, is k - 1 modulo n, for n sessions to share an archive.
-- Reading server files is a privilege, as for COPY FROM.
CREATE FUNCTION load_tweets(
    path text,
    mode text,
    batch_size integer DEFAULT NULL,
    on_error text DEFAULT 'stop',
    part text DEFAULT NULL,
    OUT tweets bigint,
    OUT skipped bigint,
    OUT bad_lines bigint,
    OUT rows jsonb,
    OUT members bigint,
    OUT skipped_members bigint,
    OUT bad_members bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'load_tweets'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE EXECUTE ON FUNCTION load_tweets(text, text, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION load_tweets(text, text, integer, text, text) TO pg_read_server_files;

