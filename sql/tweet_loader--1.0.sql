-- tweet_loader 1.0: load Twitter API v1.1 JSON files into three layouts.

\echo Use "CREATE EXTENSION tweet_loader" to load this file. \quit

-- Loads one file (zip, gzip or plain JSON lines) server side.
-- mode: 'denormalized' | 'normalized' | 'batch'. Atomic: on error nothing of
-- the file remains. Reading server files is a privilege, as for COPY FROM.
CREATE FUNCTION load_tweets(
    path text,
    mode text,
    batch_size integer DEFAULT NULL,
    on_error text DEFAULT 'stop',
    OUT tweets bigint,
    OUT skipped bigint,
    OUT bad_lines bigint,
    OUT rows jsonb)
RETURNS record
AS 'MODULE_PATHNAME', 'load_tweets'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE EXECUTE ON FUNCTION load_tweets(text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION load_tweets(text, text, integer, text) TO pg_read_server_files;

-- PostGIS's geometry type, schema-qualified: the tables are created with
-- the caller's search_path, which need not hold PostGIS's schema.
CREATE FUNCTION tweet_geometry_type() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN 'geometry'::regtype::text;

-- The tables of the normalized_batch layout, which are also the shape of the
-- per-load staging tables of the normalized layout (prefix
-- 'tweet_loader_stage_', temporary). users.updated_by is the id of the tweet
-- whose copy of the user the row holds.
CREATE FUNCTION tweet_loader_create_batch_tables(prefix text, temporary boolean)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    kind text := CASE WHEN temporary THEN 'TEMPORARY' ELSE '' END;
    geometry text := @extschema@.tweet_geometry_type();
BEGIN
    EXECUTE format($$
        CREATE %s TABLE %I (
            id_users bigint,
            created_at timestamptz,
            updated_at timestamptz,
            url text,
            friends_count integer,
            listed_count integer,
            favourites_count integer,
            statuses_count integer,
            protected boolean,
            verified boolean,
            screen_name text,
            name text,
            location text,
            description text,
            withheld_in_countries varchar(2)[],
            updated_by bigint)$$, kind, prefix || 'users');
    EXECUTE format($$
        CREATE %s TABLE %I (
            id_tweets bigint,
            id_users bigint,
            created_at timestamptz,
            in_reply_to_status_id bigint,
            in_reply_to_user_id bigint,
            quoted_status_id bigint,
            retweet_count smallint,
            favorite_count smallint,
            quote_count smallint,
            withheld_copyright boolean,
            withheld_in_countries varchar(2)[],
            source text,
            text text,
            country_code varchar(2),
            state_code varchar(2),
            lang text,
            place_name text,
            geo %s)$$, kind, prefix || 'tweets', geometry);
    EXECUTE format('CREATE %s TABLE %I (id_tweets bigint, url text)',
                   kind, prefix || 'tweet_urls');
    EXECUTE format('CREATE %s TABLE %I (id_tweets bigint, id_users bigint)',
                   kind, prefix || 'tweet_mentions');
    EXECUTE format('CREATE %s TABLE %I (id_tweets bigint, tag text)',
                   kind, prefix || 'tweet_tags');
    EXECUTE format('CREATE %s TABLE %I (id_tweets bigint, url text, type text)',
                   kind, prefix || 'tweet_media');
END
$fn$;

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
-- one polygon, every ring closed by repeating its first point.
CREATE FUNCTION tweet_bounding_box(coordinates jsonb) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ST_GeomFromText('MULTIPOLYGON((' || string_agg(ring, ',' ORDER BY r) || '))')
    FROM (
        SELECT r, '(' || string_agg(p->>0 || ' ' || (p->>1), ',' ORDER BY i)
                  || CASE WHEN rg->0 = rg->-1 THEN ''
                          ELSE ',' || (rg->0->>0) || ' ' || (rg->0->>1) END
                  || ')' AS ring
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
-- 'normalized_batch'. Runs with the caller's rights.
CREATE FUNCTION create_tweet_tables(layout text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    existing text;
BEGIN
    IF layout IS NULL OR layout NOT IN ('denormalized', 'normalized', 'normalized_batch') THEN
        RAISE EXCEPTION 'unknown tweet layout "%"', layout
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use ''denormalized'', ''normalized'' or ''normalized_batch''.';
    END IF;
    SELECT string_agg(format('%I', relname), ', ' ORDER BY relname) INTO existing
    FROM pg_class
    WHERE relnamespace = current_schema()::regnamespace
      AND relname IN ('tweets_jsonb', 'tweets', 'users', 'urls', 'tweet_urls',
                      'tweet_mentions', 'tweet_tags', 'tweet_media',
                      'tweet_tags_total', 'tweet_tags_cooccurrence');
    IF existing IS NOT NULL THEN
        RAISE EXCEPTION 'tweet tables already exist in schema "%"', current_schema()
            USING ERRCODE = 'duplicate_table',
                  DETAIL = format('Found %s.', existing),
                  HINT = 'A database holds one layout; use another database or schema.';
    END IF;

    IF layout = 'denormalized' THEN
        -- lz4 compresses and decompresses the large JSON values far faster
        -- than the default pglz. load_tweets compresses each value over
        -- 2 kB itself; toast_tuple_target keeps a compressed tweet (2.5 kB
        -- on average) in its row rather than in the TOAST table.
        CREATE TABLE tweets_jsonb (data jsonb COMPRESSION lz4)
            WITH (toast_tuple_target = 8160);

        CREATE VIEW tweets AS
        SELECT (data->>'id')::bigint AS id_tweets,
               (data->'user'->>'id')::bigint AS id_users,
               to_timestamp(data->>'created_at', 'Dy Mon DD HH24:MI:SS TZHTZM YYYY') AS created_at,
               (data->>'in_reply_to_status_id')::bigint AS in_reply_to_status_id,
               (data->>'in_reply_to_user_id')::bigint AS in_reply_to_user_id,
               (data->>'quoted_status_id')::bigint AS quoted_status_id,
               (data->>'retweet_count')::smallint AS retweet_count,
               (data->>'favorite_count')::smallint AS favorite_count,
               (data->>'quote_count')::smallint AS quote_count,
               (data->>'withheld_copyright')::boolean AS withheld_copyright,
               CASE WHEN jsonb_typeof(data->'withheld_in_countries') = 'array'
                    THEN ARRAY(SELECT jsonb_array_elements_text(data->'withheld_in_countries'))
               END::varchar(2)[] AS withheld_in_countries,
               data->>'source' AS source,
               CASE WHEN jsonb_typeof(data->'extended_tweet') = 'object'
                    THEN data->'extended_tweet'->>'full_text'
                    ELSE COALESCE(data->>'full_text', data->>'text') END AS text,
               @extschema@.tweet_ascii_lower(data->'place'->>'country_code')::varchar(2) AS country_code,
               CASE WHEN @extschema@.tweet_ascii_lower(data->'place'->>'country_code') = 'us'
                     AND length(btrim(regexp_replace(data->'place'->>'full_name', '^.*,', ''))) <= 2
                    THEN @extschema@.tweet_ascii_lower(btrim(regexp_replace(data->'place'->>'full_name', '^.*,', '')))
               END::varchar(2) AS state_code,
               data->>'lang' AS lang,
               data->'place'->>'full_name' AS place_name,
               @extschema@.tweet_geometry(data) AS geo
        FROM tweets_jsonb;

        CREATE VIEW tweet_urls AS
        SELECT (data->>'id')::bigint AS id_tweets, u->>'expanded_url' AS url
        FROM tweets_jsonb,
             jsonb_array_elements(@extschema@.tweet_entities(data)->'urls') u
        WHERE u->>'expanded_url' IS NOT NULL;

        CREATE VIEW tweet_mentions AS
        SELECT (data->>'id')::bigint AS id_tweets, (m->>'id')::bigint AS id_users
        FROM tweets_jsonb,
             jsonb_array_elements(@extschema@.tweet_entities(data)->'user_mentions') m;

        CREATE VIEW tweet_tags AS
        SELECT (data->>'id')::bigint AS id_tweets, '#' || (h->>'text') AS tag
        FROM tweets_jsonb, jsonb_array_elements(@extschema@.tweet_entities(data)->'hashtags') h
        UNION ALL
        SELECT (data->>'id')::bigint, '$' || (s->>'text')
        FROM tweets_jsonb, jsonb_array_elements(@extschema@.tweet_entities(data)->'symbols') s;

        CREATE VIEW tweet_media AS
        SELECT (data->>'id')::bigint AS id_tweets, m->>'media_url' AS url,
               m->>'type' AS type
        FROM tweets_jsonb, jsonb_array_elements(@extschema@.tweet_media_list(data)) m;
    ELSE
        IF layout = 'normalized' THEN
            CREATE TABLE urls (
                id_urls bigserial PRIMARY KEY,
                url text UNIQUE);
            CREATE TABLE users (
                id_users bigint PRIMARY KEY,
                created_at timestamptz,
                updated_at timestamptz,
                id_urls bigint REFERENCES urls(id_urls),
                friends_count integer,
                listed_count integer,
                favourites_count integer,
                statuses_count integer,
                protected boolean,
                verified boolean,
                screen_name text,
                name text,
                location text,
                description text,
                withheld_in_countries varchar(2)[],
                updated_by bigint);
            EXECUTE format($$
            CREATE TABLE tweets (
                id_tweets bigint PRIMARY KEY,
                id_users bigint REFERENCES users(id_users),
                created_at timestamptz,
                in_reply_to_status_id bigint,
                in_reply_to_user_id bigint REFERENCES users(id_users),
                quoted_status_id bigint,
                retweet_count smallint,
                favorite_count smallint,
                quote_count smallint,
                withheld_copyright boolean,
                withheld_in_countries varchar(2)[],
                source text,
                text text,
                country_code varchar(2),
                state_code varchar(2),
                lang text,
                place_name text,
                geo %s)$$, @extschema@.tweet_geometry_type());
            CREATE TABLE tweet_urls (
                id_tweets bigint REFERENCES tweets(id_tweets),
                id_urls bigint REFERENCES urls(id_urls),
                PRIMARY KEY (id_tweets, id_urls));
            CREATE TABLE tweet_mentions (
                id_tweets bigint REFERENCES tweets(id_tweets),
                id_users bigint REFERENCES users(id_users),
                PRIMARY KEY (id_tweets, id_users));
            CREATE TABLE tweet_tags (
                id_tweets bigint REFERENCES tweets(id_tweets),
                tag text,
                PRIMARY KEY (id_tweets, tag));
            CREATE TABLE tweet_media (
                id_tweets bigint REFERENCES tweets(id_tweets),
                id_urls bigint REFERENCES urls(id_urls),
                type text,
                PRIMARY KEY (id_tweets, id_urls));
        ELSE
            PERFORM @extschema@.tweet_loader_create_batch_tables('', false);
        END IF;
        CREATE INDEX ON tweets USING gist (geo);
        CREATE INDEX ON tweets USING gin (withheld_in_countries);
        CREATE INDEX ON tweet_mentions (id_users);
        CREATE INDEX ON tweet_tags (id_tweets);
    END IF;

    EXECUTE format($$
        CREATE %s tweet_tags_total AS
        SELECT row_number() OVER (ORDER BY count(*) DESC, tag) AS rank,
               tag, count(*) AS total
        FROM tweet_tags
        GROUP BY tag$$,
        CASE WHEN layout = 'denormalized' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END);
    EXECUTE format($$
        CREATE %s tweet_tags_cooccurrence AS
        SELECT t1.tag AS tag1, t2.tag AS tag2, count(*) AS total
        FROM tweet_tags t1
        JOIN tweet_tags t2 ON t1.id_tweets = t2.id_tweets
        GROUP BY t1.tag, t2.tag$$,
        CASE WHEN layout = 'denormalized' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END);
END
$fn$;
