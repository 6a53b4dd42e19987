// The normalized layout, and any layout of Citus tables (citus.h), is
// loaded through staging tables (temporary, batch-shaped, kept for the
// session), moved at the end of each load into the real tables (merged,
// merge.h, or appended) and emptied. Needs an SPI connection.
#pragma once

extern "C" {
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/hsearch.h"
}

#include "pg/schema.h"

namespace tweet_loader {

// The schema-qualified name of a staging table, e.g.
// "pg_temp.tweet_loader_stage_users".
const char* staging_table_name(const char* table);

// What is staged: the rows of the six tweet tables, with the merge's own
// tables (merge.h), or the denormalized layout's jsonb values.
enum class Staged { kTweetRows, kTweetsJsonb };

// Creates the staging tables unless the session has them. Refuses a
// read-only transaction: the load goes on to write the layout.
void staging_create(Staged what);
// Empties them, at the end of a load.
void staging_empty(Staged what);

// Appends the staged rows of every table to the layout's table of that
// name with INSERT ... SELECT; "table": rows pairs to rows, a JSON object
// being built.
void staging_append(Staged what, StringInfo rows);

// The tweet ids a load has staged. Only the first line of each tweet id in
// a load is staged, so that the version kept, its child rows and its users
// come from one line, the first (as a later file's copy leaves the first
// file's alone). staged_ids_add returns true when the id was not in the
// set yet.
HTAB* staged_ids_create(MemoryContext cxt);
bool staged_ids_add(HTAB* ids, int64 tweet_id);

}  // namespace tweet_loader
