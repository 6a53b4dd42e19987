-- tweet_loader 1.0 -> 1.1: answers equal to the assignment's own databases,
-- and create_tweet_tables in C.
-- A place's ring always ends with its first point once more (a POI's box of
-- 4 equal corners has 5 points), and the child views of the denormalized
-- layout hold each row once (SELECT DISTINCT). Views made by
-- create_tweet_tables before the update keep their old definition: drop the
-- denormalized views and create them again, or reload into a new schema.

\echo Use "ALTER EXTENSION tweet_loader UPDATE TO '1.1'" to load this file. \quit

-- A place's bounding box (GeoJSON Polygon coordinates) as a MULTIPOLYGON of
-- one polygon, every ring ending with its first point once more (always, as
-- the assignment builds it: a POI's box of 4 equal corners gets 5 points).
CREATE OR REPLACE FUNCTION tweet_bounding_box(coordinates jsonb) RETURNS geometry
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

-- create_tweet_tables is C now, made from the loader's own description of
-- the tables; the staging tables no longer need a function of their own.
DROP FUNCTION create_tweet_tables(text);
DROP FUNCTION tweet_loader_create_batch_tables(text, boolean);
DROP FUNCTION tweet_geometry_type();

-- Creates one layout in the current schema: 'denormalized', 'normalized' or
-- 'normalized_batch', with the caller's rights. The tables are made from the
-- one description the loader writes them with (src/pg/schema.cpp).
CREATE FUNCTION create_tweet_tables(layout text) RETURNS void
AS 'MODULE_PATHNAME', 'create_tweet_tables'
LANGUAGE C VOLATILE;
