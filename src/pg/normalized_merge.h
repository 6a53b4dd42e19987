// The normalized layout is loaded through per-load staging tables (temporary,
// shaped like normalized_batch), merged at the end into the real tables by a
// fixed sequence of INSERT ... SELECT ... ORDER BY key statements (see
// kMergeSteps). Every session takes the locks other sessions can want in one
// global order, so concurrent loads wait for each other but never deadlock,
// and the users, where loads of the same users meet, come last. Where it may
// (foreign_keys.h), the merge checks the foreign keys itself, one lock per
// referenced row. Needs an SPI connection.
#pragma once

extern "C" {
#include "postgres.h"

#include "lib/stringinfo.h"
}

namespace tweet_loader {

// Name of a staging table, e.g. "pg_temp.tweet_loader_stage_users".
const char* staging_table_name(const char* table);

// extension_schema holds tweet_loader_create_batch_tables.
void staging_create(Oid extension_schema);

// Merges the staged rows; appends "table": rows-inserted-or-updated pairs
// to the JSON object being built in *rows.
void staging_merge(StringInfo rows);

void staging_drop(void);

}  // namespace tweet_loader
