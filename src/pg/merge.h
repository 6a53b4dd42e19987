// The merge of a normalized load's staging tables (staging.h) into the
// layout's tables: a fixed sequence of INSERT ... SELECT ... ORDER BY key
// statements (kMergeSteps in merge.cpp). Every session takes the locks
// other sessions can want in one global order, so concurrent loads wait
// for each other but never deadlock, and the users, where loads of the same
// users meet, come last. Where it may (foreign_keys.h), the merge checks
// the foreign keys itself, one lock per referenced row. Needs an SPI
// connection.
#pragma once

extern "C" {
#include "postgres.h"

#include "lib/stringinfo.h"
}

namespace tweet_loader {

// The merge's own temporary tables beside the staged rows: name without
// the staging prefix, columns.
struct MergeTable {
  const char* name;
  const char* columns;
};
constexpr int kNumMergeTables = 7;
extern const MergeTable kMergeTables[kNumMergeTables];

// Merges the staged rows; appends "table": rows-inserted-or-updated pairs
// to the JSON object being built in *rows. on_citus: the layout's tables
// are Citus tables (citus.h); staged_tweets: how many tweets are staged.
void staging_merge(bool on_citus, int64 staged_tweets, StringInfo rows);

}  // namespace tweet_loader
