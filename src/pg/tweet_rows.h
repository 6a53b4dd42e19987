// One mapped tweet as the rows of the batch-shaped tables (the
// normalized_batch layout, and the staging tables of the normalized one).
#pragma once

extern "C" {
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
}

#include "pg/table_writer.h"
#include "tweet.h"

namespace tweet_loader {

enum BatchTable {
  kUsers,
  kTweets,
  kTweetUrls,
  kTweetMentions,
  kTweetTags,
  kTweetMedia,
  kNumBatchTables
};

struct BatchTableShape {
  const char* name;  // table name without prefix
  const ColumnShape* columns;
  int ncolumns;
};
extern const BatchTableShape kBatchTables[kNumBatchTables];

// Receives one row of one table; values live in the current memory context.
typedef void (*RowSink)(void* context, BatchTable table, const Datum* values,
                        const bool* nulls);

// Postgres-side state the conversion needs (looked up once per load).
struct RowBuilder {
  FmgrInfo geom_from_wkb;  // PostGIS ST_GeomFromWKB(bytea)
};

// geometry_type is the type of the tweets.geo column.
void row_builder_init(RowBuilder* builder, Oid geometry_type);

// Emits the rows of tweet: its users (author, replied-to, mentioned), the
// tweet, then urls, mentions, tags and media. wkb is tweet.geo.to_wkb(),
// computed beforehand on the C++ side. Allocates in CurrentMemoryContext.
void emit_tweet_rows(const RowBuilder* builder, const Tweet& tweet,
                     const char* wkb, size_t wkb_len, RowSink sink,
                     void* context);

// Unix seconds to timestamptz, with a range check.
TimestampTz unix_to_timestamptz(int64_t seconds);

}  // namespace tweet_loader
