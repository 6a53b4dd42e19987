-- tweet_loader 1.3: load Twitter API v1.1 and v2 JSON files and archives into
-- three layouts, on one server or a Citus cluster.

\echo Use "CREATE EXTENSION tweet_loader" to load this file. \quit

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

-- The views' functions have SQL-standard bodies: parsed here, where the
-- search_path holds this extension's schema and PostGIS's, not with the
-- search_path of whoever queries the views.

-- Country and state codes are lower-cased in ASCII only, as the loader does.
CREATE FUNCTION tweet_ascii_lower(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');

-- The entities of a tweet: those of extended_tweet when it is present.
CREATE FUNCTION tweet_entities(data jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(data->'extended_tweet') = 'object'
            THEN data->'extended_tweet'->'entities'
            ELSE data->'entities' END;

-- The media of a tweet: those of extended_tweet when it is present.
CREATE FUNCTION tweet_media_list(data jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(data->'extended_tweet') = 'object'
            THEN data->'extended_tweet'->'extended_entities'->'media'
            ELSE data->'extended_entities'->'media' END;

-- A place's bounding box (GeoJSON Polygon coordinates) as a MULTIPOLYGON of
-- one polygon, every ring ending with its first point once more (always, as
-- the assignment builds it: a POI's box of 4 equal corners gets 5 points).
CREATE FUNCTION tweet_bounding_box(coordinates jsonb) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ST_GeomFromText('MULTIPOLYGON((' || string_agg(ring, ',' ORDER BY r) || '))')
    FROM (
        SELECT r, '(' || string_agg(p->>0 || ' ' || (p->>1), ',' ORDER BY i)
                  || ',' || (rg->0->>0) || ' ' || (rg->0->>1) || ')' AS ring
        FROM jsonb_array_elements(coordinates) WITH ORDINALITY AS rings(rg, r),
             jsonb_array_elements(rg) WITH ORDINALITY AS pts(p, i)
        GROUP BY r, rg
    ) closed;
END;

-- A tweet's geometry: its geo point, else its place's bounding box.
CREATE FUNCTION tweet_geometry(data jsonb) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN jsonb_typeof(data->'geo'->'coordinates') = 'array'
    THEN ST_MakePoint((data->'geo'->'coordinates'->>0)::float8,
                      (data->'geo'->'coordinates'->>1)::float8)
    WHEN jsonb_typeof(data->'place'->'bounding_box'->'coordinates') = 'array'
    THEN tweet_bounding_box(data->'place'->'bounding_box'->'coordinates')
END;

-- Creates one layout in the current schema: 'denormalized', 'normalized' or
-- 'normalized_batch', with the caller's rights. The tables are made from the
-- one description the loader writes them with (src/pg/schema.cpp).
-- distributed => true makes them Citus tables (on the coordinator of a
-- Citus cluster): the tweets and their child rows hash-distributed on the
-- tweet id and co-located (docs/citus.md).
CREATE FUNCTION create_tweet_tables(layout text, distributed boolean DEFAULT false) RETURNS void
AS 'MODULE_PATHNAME', 'create_tweet_tables'
LANGUAGE C VOLATILE;
