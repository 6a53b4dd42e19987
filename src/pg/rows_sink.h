// What the batch and row sinks share: a tweet becomes the rows of the
// batch-shaped tables (tweet_rows.h), each handed to write(). Into the
// normalized layout's staging tables only the first line of a tweet id is
// staged (staging.h).
#pragma once

#include "pg/sink.h"
#include "pg/staging.h"
#include "pg/tweet_rows.h"

namespace tweet_loader {

class RowsSink : public Sink {
 public:
  // staged: the rows go to the staging tables of a normalized load.
  explicit RowsSink(bool staged) {
    row_builder_init(&builder_);
    if (staged) staged_ids_ = staged_ids_create(CurrentMemoryContext);
  }

  void prepare(TweetWork* work) const override {
    work->wkb = work->tweet.geo.to_wkb();
  }

  void add(const TweetWork& work) override {
    // A repeat of a staged tweet id is read, counted and not staged.
    if (staged_ids_ != nullptr && !staged_ids_add(staged_ids_, work.tweet.id))
      return;
    emit_tweet_rows(&builder_, work.tweet, work.wkb.data(), work.wkb.size(),
                    write_row, this);
  }

 protected:
  // The tweets staged so far (distinct ids).
  int64 staged_tweets() const {
    return staged_ids_ != nullptr ? hash_get_num_entries(staged_ids_) : 0;
  }

  // One row of one table.
  virtual void write(TweetTable table, const Datum* values,
                     const bool* nulls) = 0;

 private:
  static void write_row(void* self, TweetTable table, const Datum* values,
                        const bool* nulls) {
    static_cast<RowsSink*>(self)->write(table, values, nulls);
  }

  RowBuilder builder_;
  HTAB* staged_ids_ = nullptr;
};

}  // namespace tweet_loader
