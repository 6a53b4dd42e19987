// The batch mode: the rows of each tweet gathered per table and written
// with the multi-insert path, a batch at a time, into the normalized_batch
// layout, or into staging tables (staging.h): a normalized load's, merged
// at the end, or those of a layout of Citus tables, appended at the end.

#include "pg/merge.h"
#include "pg/rows_sink.h"
#include "pg/table_writer.h"

extern "C" {
#include "catalog/namespace.h"
}

namespace tweet_loader {

namespace {

// Where the rows go.
enum class Target { kLayout, kMerge, kAppend };

class BatchSink final : public RowsSink {
 public:
  BatchSink(const SinkOptions& options, Target target)
      : RowsSink(target == Target::kMerge), target_(target),
        on_citus_(options.on_citus) {
    bool staged = target != Target::kLayout;
    if (staged) staging_create(Staged::kTweetRows);
    estate_ = writers_begin();
    for (int t = 0; t < kNumTweetTables; t++) {
      const TableShape& shape = kTweetTables[t];
      const char* name = staged ? staging_table_name(shape.name) : shape.name;
      writers_[t] = table_writer_open(name, shape, options.batch_size);
    }
    progress_relid = staged ? RelnameGetRelid("tweets")
                            : table_writer_relid(writers_[kTweets]);
  }

  void flush() override {
    for (TableWriter* w : writers_) table_writer_flush(w);
  }

  void finish(StringInfo rows) override {
    int64 written[kNumTweetTables];
    for (int t = 0; t < kNumTweetTables; t++)
      written[t] = table_writer_close(writers_[t]);
    writers_end(estate_);
    switch (target_) {
      case Target::kLayout:
        for (int t = 0; t < kNumTweetTables; t++)
          appendStringInfo(rows, "%s\"%s\": " INT64_FORMAT, t ? ", " : "",
                           kTweetTables[t].name, written[t]);
        return;
      case Target::kMerge:
        staging_merge(on_citus_, staged_tweets(), rows);
        break;
      case Target::kAppend:
        staging_append(Staged::kTweetRows, rows);
        break;
    }
    staging_empty(Staged::kTweetRows);
  }

 protected:
  void write(TweetTable table, const Datum* values,
             const bool* nulls) override {
    table_writer_add(writers_[table], values, nulls);
  }

 private:
  Target target_;
  bool on_citus_;
  EState* estate_;
  TableWriter* writers_[kNumTweetTables];
};

}  // namespace

Sink* open_batch_sink(const SinkOptions& options, bool normalized) {
  return make_sink<BatchSink>(options, normalized          ? Target::kMerge
                                       : options.on_citus ? Target::kAppend
                                                          : Target::kLayout);
}

}  // namespace tweet_loader
