// create_tweet_tables(layout, distributed): the SQL entry point that makes
// one layout in the current schema, with the caller's rights, from the
// description of its tables (schema.h) and the views below; distributed,
// as Citus tables (citus.h).

extern "C" {
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(create_tweet_tables);
}

#include <string.h>

#include "pg/citus.h"
#include "pg/schema.h"
#include "pg/spi_run.h"

using namespace tweet_loader;

namespace {

// The denormalized layout's tweets view, column by column (the columns and
// their order are those of schema.h's tweets). @ext@ is the extension's
// schema, which holds the views' helper functions. A row is a v1.1 tweet
// when it has "user", else a v2 tweet in the flattened shape (see
// src/tweet/v2_response.h); each column reads either as the loader does.
// @id@ is the tweet's id: the id_tweets column of a distributed layout (its
// distribution column, so that Citus runs joins on it on the shards), else
// read from data.
#define V1 "CASE WHEN data ? 'user' THEN "
#define V2 " ELSE "
#define END " END"
// A v2 place is merged into geo; the text and entities of a long v2 tweet
// are in note_tweet.
#define PLACE "(CASE WHEN data ? 'user' THEN data->'place' ELSE data->'geo' END)"
#define REFERENCE(type)                                                    \
  "(SELECT (r->>'id')::bigint FROM jsonb_array_elements(CASE WHEN "        \
  "jsonb_typeof(data->'referenced_tweets') = 'array' THEN "                \
  "data->'referenced_tweets' END) WITH ORDINALITY AS e(r, i) WHERE "       \
  "r->>'type' = '" type "' ORDER BY i LIMIT 1)"
#define ENTITIES                                                           \
  "(" V1 "@ext@.tweet_entities(data)" V2                                   \
  "CASE WHEN jsonb_typeof(data->'note_tweet') = 'object' THEN "            \
  "data->'note_tweet'->'entities' ELSE data->'entities' END" END ")"
#define CODES(array)                                                       \
  "CASE WHEN jsonb_typeof(" array ") = 'array' THEN ARRAY(SELECT "         \
  "jsonb_array_elements_text(" array ")) END"
// v2: the geometry of a v1.1 tweet whose geo is the point in v1.1's order
// (GeoJSON gives [lon, lat]) and whose place's ring is the bbox
// [w, s, e, n] as v1.1's SW, NW, NE, SE.
#define V2_POINT "data->'geo'->'coordinates'->'coordinates'"
#define V2_BOX "data->'geo'->'geo'->'bbox'"
#define V2_GEO                                                             \
  "@ext@.tweet_geometry(jsonb_build_object('geo', CASE WHEN jsonb_typeof(" \
  V2_POINT ") = 'array' THEN jsonb_build_object('coordinates', "           \
  "jsonb_build_array(" V2_POINT "->1, " V2_POINT "->0)) END, 'place', "    \
  "CASE WHEN jsonb_typeof(" V2_BOX ") = 'array' THEN "                     \
  "jsonb_build_object('bounding_box', jsonb_build_object('coordinates', "   \
  "jsonb_build_array(jsonb_build_array(jsonb_build_array(" V2_BOX "->0, "  \
  V2_BOX "->1), jsonb_build_array(" V2_BOX "->0, " V2_BOX "->3), "         \
  "jsonb_build_array(" V2_BOX "->2, " V2_BOX "->3), jsonb_build_array("    \
  V2_BOX "->2, " V2_BOX "->1))))) END))"

struct ViewColumn {
  const char* name;
  const char* expression;
};
const ViewColumn kTweetsView[] = {
    {"id_tweets", "@id@"},
    {"id_users", "(" V1 "data->'user'->>'id'" V2 "data->>'author_id'" END ")::bigint"},
    {"created_at", V1 "to_timestamp(data->>'created_at', 'Dy Mon DD HH24:MI:SS TZHTZM YYYY')" V2
                   "date_trunc('second', (data->>'created_at')::timestamptz)" END},
    {"in_reply_to_status_id", V1 "(data->>'in_reply_to_status_id')::bigint" V2 REFERENCE("replied_to") END},
    {"in_reply_to_user_id", "(data->>'in_reply_to_user_id')::bigint"},
    {"quoted_status_id", V1 "(data->>'quoted_status_id')::bigint" V2 REFERENCE("quoted") END},
    {"retweet_count", "(" V1 "data->>'retweet_count'" V2 "data->'public_metrics'->>'retweet_count'" END ")::smallint"},
    {"favorite_count", "(" V1 "data->>'favorite_count'" V2 "data->'public_metrics'->>'like_count'" END ")::smallint"},
    {"quote_count", "(" V1 "data->>'quote_count'" V2 "data->'public_metrics'->>'quote_count'" END ")::smallint"},
    {"withheld_copyright", "(" V1 "data->>'withheld_copyright'" V2 "data->'withheld'->>'copyright'" END ")::boolean"},
    {"withheld_in_countries", "(" V1 CODES("data->'withheld_in_countries'") V2
                              CODES("data->'withheld'->'country_codes'") END ")::varchar(2)[]"},
    {"source", "data->>'source'"},
    {"text", V1 "CASE WHEN jsonb_typeof(data->'extended_tweet') = 'object' THEN data->'extended_tweet'->>'full_text' ELSE COALESCE(data->>'full_text', data->>'text') END" V2
             "CASE WHEN jsonb_typeof(data->'note_tweet') = 'object' THEN data->'note_tweet'->>'text' ELSE data->>'text' END" END},
    {"country_code", "@ext@.tweet_ascii_lower(" PLACE "->>'country_code')::varchar(2)"},
    {"state_code", "CASE WHEN @ext@.tweet_ascii_lower(" PLACE "->>'country_code') = 'us' AND length(btrim(regexp_replace(" PLACE "->>'full_name', '^.*,', ''))) <= 2 THEN @ext@.tweet_ascii_lower(btrim(regexp_replace(" PLACE "->>'full_name', '^.*,', ''))) END::varchar(2)"},
    {"lang", "data->>'lang'"},
    {"place_name", PLACE "->>'full_name'"},
    {"geo", V1 "@ext@.tweet_geometry(data)" V2 V2_GEO END},
};

// The child views hold each row once, however many lines repeat a tweet:
// SELECT DISTINCT, as the assignment's own views. A v2 mention without an
// id (a user the response lacked) and a v2 media item without url or type
// (a key the response lacked) give no row, as in the loader.
const char* const kChildViews[] = {
    "CREATE VIEW tweet_urls AS SELECT DISTINCT @id@ AS id_tweets, u->>'expanded_url' AS url "
    "FROM tweets_jsonb, jsonb_array_elements(" ENTITIES "->'urls') u "
    "WHERE u->>'expanded_url' IS NOT NULL",
    "CREATE VIEW tweet_mentions AS SELECT DISTINCT @id@ AS id_tweets, (m->>'id')::bigint AS id_users "
    "FROM tweets_jsonb, jsonb_array_elements(" ENTITIES "->(" V1 "'user_mentions'" V2 "'mentions'" END ")) m "
    "WHERE m->>'id' IS NOT NULL",
    "CREATE VIEW tweet_tags AS SELECT @id@ AS id_tweets, '#' || (h->>(" V1 "'text'" V2 "'tag'" END ")) AS tag "
    "FROM tweets_jsonb, jsonb_array_elements(" ENTITIES "->'hashtags') h "
    "UNION SELECT @id@, '$' || (s->>(" V1 "'text'" V2 "'tag'" END ")) "
    "FROM tweets_jsonb, jsonb_array_elements(" ENTITIES "->(" V1 "'symbols'" V2 "'cashtags'" END ")) s",
    "CREATE VIEW tweet_media AS SELECT DISTINCT id_tweets, url, type FROM ("
    "SELECT @id@ AS id_tweets, " V1 "m->>'media_url'" V2
    "COALESCE(m->>'url', m->>'preview_image_url')" END " AS url, m->>'type' AS type "
    "FROM tweets_jsonb, jsonb_array_elements(" V1 "@ext@.tweet_media_list(data)" V2
    "data->'attachments'->'media'" END ") m) media WHERE url IS NOT NULL AND type IS NOT NULL",
};
#undef V1
#undef V2
#undef END
#undef PLACE
#undef REFERENCE
#undef ENTITIES
#undef CODES
#undef V2_GEO
#undef V2_POINT
#undef V2_BOX

// Views in denormalized, materialized views in the normalized layouts
// (load_tweets does not refresh them: a refresh would serialize loads).
const char* const kTagViews[] = {
    "tweet_tags_total AS SELECT row_number() OVER (ORDER BY count(*) DESC, tag) AS rank, "
    "tag, count(*) AS total FROM tweet_tags GROUP BY tag",
    "tweet_tags_cooccurrence AS SELECT t1.tag AS tag1, t2.tag AS tag2, count(*) AS total "
    "FROM tweet_tags t1 JOIN tweet_tags t2 ON t1.id_tweets = t2.id_tweets GROUP BY t1.tag, t2.tag",
};

// A DDL statement of the layout.
void run(const char* sql) { spi_run(sql, SPI_OK_UTILITY); }

// sql with every @ext@ replaced by the extension's schema and every @id@
// by id.
char* with_schema(const char* sql, const char* schema, const char* id) {
  StringInfoData out;
  initStringInfo(&out);
  for (const char* at; (at = strchr(sql, '@')) != nullptr;) {
    appendBinaryStringInfo(&out, sql, at - sql);
    if (strncmp(at, "@ext@", 5) == 0) {
      appendStringInfoString(&out, schema);
      sql = at + 5;
    } else if (strncmp(at, "@id@", 4) == 0) {
      appendStringInfoString(&out, id);
      sql = at + 4;
    } else {
      appendStringInfoChar(&out, '@');
      sql = at + 1;
    }
  }
  appendStringInfoString(&out, sql);
  return out.data;
}

void create_denormalized(bool distributed) {
  // lz4 compresses and decompresses the large JSON values far faster than
  // the default pglz. load_tweets compresses each value over 2 kB itself;
  // toast_tuple_target keeps a compressed tweet (2.5 kB on average) in its
  // row rather than in the TOAST table. Citus distributes on a column, not
  // an expression, and not on a generated column: the loader fills
  // id_tweets, and the check keeps it the tweet's id.
  run(psprintf("CREATE TABLE tweets_jsonb (data jsonb COMPRESSION lz4%s) "
               "WITH (toast_tuple_target = 8160)",
               distributed ? ", id_tweets bigint NOT NULL CHECK (id_tweets = "
                             "(data->>'id')::bigint)"
                           : ""));
}

// The denormalized layout's views over tweets_jsonb, made after Citus has
// distributed the table, so that it makes them on every node as well.
void create_denormalized_views(const char* ext, bool distributed) {
  const char* id = distributed ? "id_tweets" : "(data->>'id')::bigint";
  const TableShape& tweets = kTweetTables[kTweets];
  if ((int)lengthof(kTweetsView) != tweets.ncolumns)
    elog(ERROR, "tweet_loader: the tweets view has other columns than tweets");
  StringInfoData view;
  initStringInfo(&view);
  appendStringInfoString(&view, "CREATE VIEW tweets AS SELECT ");
  for (int i = 0; i < tweets.ncolumns; i++) {
    if (strcmp(kTweetsView[i].name, tweets.columns[i].name) != 0)
      elog(ERROR, "tweet_loader: the tweets view lacks column \"%s\"",
           tweets.columns[i].name);
    appendStringInfo(&view, "%s%s AS %s", i ? ", " : "",
                     kTweetsView[i].expression, kTweetsView[i].name);
  }
  appendStringInfoString(&view, " FROM tweets_jsonb");
  run(with_schema(view.data, ext, id));
  for (const char* sql : kChildViews) run(with_schema(sql, ext, id));
}

void create_normalized(bool normalized, bool distributed) {
  const char* geometry = format_type_be_qualified(geometry_type_oid());
  TableForm form = !normalized   ? TableForm::kBatch
                   : distributed ? TableForm::kNormalizedKeysOnly
                                 : TableForm::kNormalized;
  if (normalized)
    run(create_table_sql(kUrlsTable, kUrlsTable.name, form, geometry));
  for (const TableShape& table : kTweetTables)
    run(create_table_sql(table, table.name, form, geometry));
  for (const IndexShape& index : kIndexes)
    run(psprintf("CREATE INDEX ON %s %s", index.table, index.definition));
}

// Errors unless the current schema holds none of the layouts' tables.
void check_schema_is_free(void) {
  StringInfoData names;
  initStringInfo(&names);
  appendStringInfo(&names, "'%s', '%s'", kTweetsJsonbTable.name, kUrlsTable.name);
  for (const TableShape& table : kTweetTables)
    appendStringInfo(&names, ", '%s'", table.name);
  for (const char* view : kTagViews)
    appendStringInfo(&names, ", '%s'", pnstrdup(view, strcspn(view, " ")));
  spi_run(psprintf("SELECT current_schema(), string_agg(format('%%I', "
                   "relname), ', ' ORDER BY relname) FROM pg_class "
                   "WHERE relnamespace = current_schema()::regnamespace "
                   "AND relname IN (%s)", names.data),
          SPI_OK_SELECT);
  bool isnull;
  Datum found =
      SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
  if (!isnull)
    ereport(ERROR,
            (errcode(ERRCODE_DUPLICATE_TABLE),
             errmsg("tweet tables already exist in schema \"%s\"",
                    SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1)),
             errdetail("Found %s.", TextDatumGetCString(found)),
             errhint("A database holds one layout; use another database or "
                     "schema.")));
}

}  // namespace

extern "C" Datum create_tweet_tables(PG_FUNCTION_ARGS) {
  const char* layout = PG_ARGISNULL(0) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(0));
  bool denormalized = layout && strcmp(layout, "denormalized") == 0;
  bool normalized = layout && strcmp(layout, "normalized") == 0;
  if (!denormalized && !normalized &&
      !(layout && strcmp(layout, "normalized_batch") == 0))
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("unknown tweet layout \"%s\"", layout ? layout : "<NULL>"),
             errhint("Use 'denormalized', 'normalized' or 'normalized_batch'.")));
  bool distributed = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
  const char* ext = quote_identifier(
      get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));

  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  if (distributed) check_can_distribute();
  check_schema_is_free();
  if (denormalized)
    create_denormalized(distributed);
  else
    create_normalized(normalized, distributed);
  if (distributed)
    distribute_layout(denormalized ? Layout::kDenormalized
                      : normalized ? Layout::kNormalized
                                   : Layout::kNormalizedBatch);
  if (denormalized) create_denormalized_views(ext, distributed);
  for (const char* view : kTagViews)
    run(psprintf("CREATE %s %s", denormalized ? "VIEW" : "MATERIALIZED VIEW", view));
  SPI_finish();
  PG_RETURN_VOID();
}
