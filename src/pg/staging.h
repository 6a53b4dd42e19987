// The normalized layout is loaded through staging tables (temporary,
// batch-shaped, kept for the session), merged at the end of each load into
// the real tables (merge.h) and emptied. Needs an SPI connection.
#pragma once

extern "C" {
#include "postgres.h"

#include "utils/hsearch.h"
}

#include "pg/schema.h"

namespace tweet_loader {

// The schema-qualified name of a staging table, e.g.
// "pg_temp.tweet_loader_stage_users".
const char* staging_table_name(const char* table);

// Creates the staging tables of the six tweet tables and the merge's own
// (merge.h) unless the session has them. Refuses a read-only transaction:
// the merge writes the layout.
void staging_create(void);
// Empties them, at the end of a load.
void staging_empty(void);

// The tweet ids a load has staged. Only the first line of each tweet id in
// a load is staged, so that the version kept, its child rows and its users
// come from one line, the first (as a later file's copy leaves the first
// file's alone). staged_ids_add returns true when the id was not in the
// set yet.
HTAB* staged_ids_create(MemoryContext cxt);
bool staged_ids_add(HTAB* ids, int64 tweet_id);

}  // namespace tweet_loader
