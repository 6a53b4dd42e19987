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
#include "utils/hsearch.h"
}

namespace tweet_loader {

// Name of a staging table, e.g. "pg_temp.tweet_loader_stage_users".
const char* staging_table_name(const char* table);

// extension_schema holds tweet_loader_create_batch_tables.
void staging_create(Oid extension_schema);

// The tweet ids a load has staged. Only the first line of each tweet id in
// a load is staged, so that the version kept, its child rows and its users
// come from one line, the first (as a later file's copy leaves the first
// file's alone). staged_ids_add returns true when the id was not in the set
// yet.
HTAB* staged_ids_create(MemoryContext cxt);
bool staged_ids_add(HTAB* ids, int64 tweet_id);

// Merges the staged rows; appends "table": rows-inserted-or-updated pairs
// to the JSON object being built in *rows.
void staging_merge(StringInfo rows);

void staging_drop(void);

}  // namespace tweet_loader
