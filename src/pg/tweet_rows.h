// One mapped tweet as the rows of the batch-shaped tables (the
// normalized_batch layout, and the staging tables of the normalized one),
// columns in the order of schema.h.
#pragma once

extern "C" {
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
}

#include "pg/schema.h"
#include "tweet/tweet.h"

namespace tweet_loader {

// Receives one row of one table; values live in the current memory context.
typedef void (*RowFn)(void* context, TweetTable table, const Datum* values,
                      const bool* nulls);

// Postgres-side state the conversion needs (looked up once per load).
struct RowBuilder {
  FmgrInfo geom_from_wkb;  // PostGIS ST_GeomFromWKB(bytea)
};

void row_builder_init(RowBuilder* builder);

// Emits the rows of tweet: its users (author, replied-to, mentioned), the
// tweet, then urls, mentions, tags and media. wkb is tweet.geo.to_wkb(),
// computed beforehand on the C++ side. Allocates in CurrentMemoryContext.
void emit_tweet_rows(const RowBuilder* builder, const Tweet& tweet,
                     const char* wkb, size_t wkb_len, RowFn sink,
                     void* context);

}  // namespace tweet_loader
