#include "pg/schema.h"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace tweet_loader {

namespace {

// users.updated_by is the id of the tweet whose copy of the user the row
// holds.
const Column kUsersColumns[] = {
    {"id_users", ColumnType::kBigint},
    {"created_at", ColumnType::kTimestamptz},
    {"updated_at", ColumnType::kTimestamptz},
    {"url", ColumnType::kUrl},
    {"friends_count", ColumnType::kInteger},
    {"listed_count", ColumnType::kInteger},
    {"favourites_count", ColumnType::kInteger},
    {"statuses_count", ColumnType::kInteger},
    {"protected", ColumnType::kBoolean},
    {"verified", ColumnType::kBoolean},
    {"screen_name", ColumnType::kText},
    {"name", ColumnType::kText},
    {"location", ColumnType::kText},
    {"description", ColumnType::kText},
    {"withheld_in_countries", ColumnType::kCodes},
    {"updated_by", ColumnType::kBigint}};
const Column kTweetsColumns[] = {
    {"id_tweets", ColumnType::kBigint},
    {"id_users", ColumnType::kBigint, "users"},
    {"created_at", ColumnType::kTimestamptz},
    {"in_reply_to_status_id", ColumnType::kBigint},
    {"in_reply_to_user_id", ColumnType::kBigint, "users"},
    {"quoted_status_id", ColumnType::kBigint},
    {"retweet_count", ColumnType::kSmallint},
    {"favorite_count", ColumnType::kSmallint},
    {"quote_count", ColumnType::kSmallint},
    {"withheld_copyright", ColumnType::kBoolean},
    {"withheld_in_countries", ColumnType::kCodes},
    {"source", ColumnType::kText},
    {"text", ColumnType::kText},
    {"country_code", ColumnType::kCode},
    {"state_code", ColumnType::kCode},
    {"lang", ColumnType::kText},
    {"place_name", ColumnType::kText},
    {"geo", ColumnType::kGeometry}};
const Column kTweetUrlsColumns[] = {
    {"id_tweets", ColumnType::kBigint, "tweets"}, {"url", ColumnType::kUrl}};
const Column kTweetMentionsColumns[] = {
    {"id_tweets", ColumnType::kBigint, "tweets"},
    {"id_users", ColumnType::kBigint, "users"}};
const Column kTweetTagsColumns[] = {
    {"id_tweets", ColumnType::kBigint, "tweets"},
    {"tag", ColumnType::kText}};
const Column kTweetMediaColumns[] = {
    {"id_tweets", ColumnType::kBigint, "tweets"},
    {"url", ColumnType::kUrl},
    {"type", ColumnType::kText}};
const Column kUrlsColumns[] = {{"id_urls", ColumnType::kBigserial},
                               {"url", ColumnType::kText}};
const Column kTweetsJsonbColumns[] = {{"data", ColumnType::kJsonb}};

// Each column type as SQL names it and as the loader makes its datums, in
// the order of ColumnType. kUrl is text here (batch-shaped), bigint in the
// normalized layout; geometry's name and OID depend on the database.
struct TypeInfo {
  const char* sql;
  Oid oid;
  int32 typmod;
};
const TypeInfo kTypes[] = {
    {"bigint", INT8OID, -1},         {"bigserial", INT8OID, -1},
    {"integer", INT4OID, -1},        {"smallint", INT2OID, -1},
    {"boolean", BOOLOID, -1},        {"text", TEXTOID, -1},
    {"timestamptz", TIMESTAMPTZOID, -1},
    {"varchar(2)", VARCHAROID, 2 + VARHDRSZ},
    {"varchar(2)[]", VARCHARARRAYOID, 2 + VARHDRSZ},
    {"geometry", InvalidOid, -1},    {"jsonb", JSONBOID, -1},
    {"text", TEXTOID, -1}};
static_assert(lengthof(kTypes) == static_cast<size_t>(ColumnType::kUrl) + 1,
              "a TypeInfo for every ColumnType");

const TypeInfo& type_info(const Column& column, bool normalized) {
  if (column.type == ColumnType::kUrl && normalized) return kTypes[0];
  return kTypes[static_cast<int>(column.type)];
}

}  // namespace

const TableShape kTweetTables[kNumTweetTables] = {
    {"users", kUsersColumns, lengthof(kUsersColumns), "id_users"},
    {"tweets", kTweetsColumns, lengthof(kTweetsColumns), "id_tweets"},
    {"tweet_urls", kTweetUrlsColumns, lengthof(kTweetUrlsColumns),
     "id_tweets, id_urls"},
    {"tweet_mentions", kTweetMentionsColumns, lengthof(kTweetMentionsColumns),
     "id_tweets, id_users"},
    {"tweet_tags", kTweetTagsColumns, lengthof(kTweetTagsColumns),
     "id_tweets, tag"},
    {"tweet_media", kTweetMediaColumns, lengthof(kTweetMediaColumns),
     "id_tweets, id_urls"},
};
const TableShape kUrlsTable = {"urls", kUrlsColumns, lengthof(kUrlsColumns),
                               "id_urls", "url"};
const TableShape kTweetsJsonbTable = {"tweets_jsonb", kTweetsJsonbColumns,
                                      lengthof(kTweetsJsonbColumns)};

const IndexShape kIndexes[kNumIndexes] = {
    {"tweets", "USING gist (geo)"},
    {"tweets", "USING gin (withheld_in_countries)"},
    {"tweet_mentions", "(id_users)"},
    {"tweet_tags", "(id_tweets)"},
};

const char* normalized_column_name(const Column& column) {
  return column.type == ColumnType::kUrl ? "id_urls" : column.name;
}

const char* referenced_table(const Column& column) {
  return column.type == ColumnType::kUrl ? "urls" : column.references;
}

void column_pg_type(const Column& column, bool normalized, Oid* type,
                    int32* typmod) {
  const TypeInfo& info = type_info(column, normalized);
  *type = info.oid;
  *typmod = info.typmod;
}

char* create_table_sql(const TableShape& table, const char* name,
                       TableForm form, const char* geometry) {
  bool normalized =
      form == TableForm::kNormalized || form == TableForm::kNormalizedKeysOnly;
  StringInfoData sql;
  initStringInfo(&sql);
  appendStringInfo(&sql, "CREATE %sTABLE %s (",
                   form == TableForm::kStaging ? "TEMPORARY " : "", name);
  for (int i = 0; i < table.ncolumns; i++) {
    const Column& c = table.columns[i];
    appendStringInfo(&sql, "%s%s %s", i ? ", " : "",
                     normalized ? normalized_column_name(c) : c.name,
                     c.type == ColumnType::kGeometry
                         ? geometry
                         : type_info(c, normalized).sql);
    const char* ref = referenced_table(c);
    if (form == TableForm::kNormalized && ref != nullptr)
      appendStringInfo(&sql, " REFERENCES %s", ref);
  }
  if (normalized && table.primary_key)
    appendStringInfo(&sql, ", PRIMARY KEY (%s)", table.primary_key);
  if (normalized && table.unique)
    appendStringInfo(&sql, ", UNIQUE (%s)", table.unique);
  appendStringInfoChar(&sql, ')');
  return sql.data;
}

char* foreign_keys_sql(const TableShape& table) {
  StringInfoData sql;
  initStringInfo(&sql);
  for (int i = 0; i < table.ncolumns; i++) {
    const Column& c = table.columns[i];
    const char* ref = referenced_table(c);
    if (ref != nullptr)
      appendStringInfo(&sql, "%sALTER TABLE %s ADD FOREIGN KEY (%s) "
                       "REFERENCES %s", sql.len ? "; " : "", table.name,
                       normalized_column_name(c), ref);
  }
  return sql.len ? sql.data : nullptr;
}

char* column_list(const TableShape& table, const char* qualifier) {
  StringInfoData list;
  initStringInfo(&list);
  for (int i = 0; i < table.ncolumns; i++)
    appendStringInfo(&list, "%s%s%s", i ? ", " : "", qualifier ? qualifier : "",
                     normalized_column_name(table.columns[i]));
  return list.data;
}

Oid geometry_type_oid(void) {
  // PostGIS's schema, from pg_extension (PostgreSQL 15 does not export
  // get_extension_schema).
  Relation rel = table_open(ExtensionRelationId, AccessShareLock);
  ScanKeyData key;
  ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber,
              F_NAMEEQ, CStringGetDatum("postgis"));
  SysScanDesc scan =
      systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
  HeapTuple tup = systable_getnext(scan);
  Oid schema = HeapTupleIsValid(tup)
                   ? ((Form_pg_extension)GETSTRUCT(tup))->extnamespace
                   : InvalidOid;
  systable_endscan(scan);
  table_close(rel, AccessShareLock);
  Oid type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
                             CStringGetDatum("geometry"),
                             ObjectIdGetDatum(schema));
  if (!OidIsValid(type))
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("type \"geometry\" of PostGIS was not found")));
  return type;
}

}  // namespace tweet_loader
