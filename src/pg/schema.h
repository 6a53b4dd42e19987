// The tables of the three layouts, written once: create_tweet_tables makes
// them from this description, the row builder fills their columns in this
// order, the table writer checks a table against it, the normalized merge
// and its foreign key checks take their column lists and keys from it.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace tweet_loader {

enum class ColumnType {
  kBigint,
  kBigserial,
  kInteger,
  kSmallint,
  kBoolean,
  kText,
  kTimestamptz,
  kCode,      // varchar(2): a country or state code
  kCodes,     // varchar(2)[]
  kGeometry,  // PostGIS geometry
  kJsonb,
  // A url: url text in the batch shape (normalized_batch, staging); in the
  // normalized layout id_urls bigint referring to urls.
  kUrl,
};

struct Column {
  const char* name;
  ColumnType type;
  // Normalized layout: the table whose key (its first column) this column
  // holds (a foreign key). kUrl columns refer to urls.
  const char* references = nullptr;
};

struct TableShape {
  const char* name;
  const Column* columns;
  int ncolumns;
  // Normalized layout only: primary key and unique columns.
  const char* primary_key = nullptr;
  const char* unique = nullptr;
};

// The tables the rows of one tweet go to, in the order the row builder
// emits them.
enum TweetTable {
  kUsers,
  kTweets,
  kTweetUrls,
  kTweetMentions,
  kTweetTags,
  kTweetMedia,
  kNumTweetTables
};
extern const TableShape kTweetTables[kNumTweetTables];

// Indexes of both normalized layouts (the keys' own aside).
struct IndexShape {
  const char* table;
  const char* definition;  // what follows "CREATE INDEX ON table"
};
constexpr int kNumIndexes = 4;
extern const IndexShape kIndexes[kNumIndexes];
extern const TableShape kUrlsTable;         // normalized layout only
extern const TableShape kTweetsJsonbTable;  // denormalized layout

// A column as the normalized layout has it (kUrl: "id_urls").
const char* normalized_column_name(const Column& column);
// The table a column of the normalized layout refers to (kUrl: "urls"),
// or NULL.
const char* referenced_table(const Column& column);

// The built-in type the loader makes datums of for a column; InvalidOid
// for geometry, whose OID differs between databases. normalized: the
// column as in the normalized layout.
void column_pg_type(const Column& column, bool normalized, Oid* type,
                    int32* typmod);

// How create_table_sql makes a table: batch-shaped without keys (as a
// table of the layout or a temporary staging table), or as the normalized
// layout has it, with its keys and foreign keys or its keys alone (Citus
// makes a table distributed only while no plain table refers to it: the
// foreign keys come after, foreign_keys_sql).
enum class TableForm { kBatch, kStaging, kNormalized, kNormalizedKeysOnly };

// "CREATE [TEMPORARY] TABLE name (...)" for a table. geometry is the type's
// qualified name.
char* create_table_sql(const TableShape& table, const char* name,
                       TableForm form, const char* geometry);

// "ALTER TABLE name ADD FOREIGN KEY ...; ..." for each foreign key of the
// normalized layout's table, or NULL when it has none.
char* foreign_keys_sql(const TableShape& table);

// "a, b, c": the table's columns as the normalized layout has them, each
// prefixed with qualifier (e.g. "b.") unless it is null.
char* column_list(const TableShape& table, const char* qualifier);

// PostGIS's geometry type, schema-qualified (the caller's search_path need
// not hold PostGIS's schema).
Oid geometry_type_oid(void);

}  // namespace tweet_loader
