// The batch mode: the rows of each tweet gathered per table and written
// with the multi-insert path, a batch at a time, into the normalized_batch
// layout or into a normalized load's staging tables, merged at the end.

#include "pg/merge.h"
#include "pg/rows_sink.h"
#include "pg/table_writer.h"

extern "C" {
#include "catalog/namespace.h"
}

namespace tweet_loader {

namespace {

class BatchSink final : public RowsSink {
 public:
  BatchSink(const SinkOptions& options, bool staging)
      : RowsSink(staging), staging_(staging) {
    if (staging) staging_create();
    estate_ = writers_begin();
    for (int t = 0; t < kNumTweetTables; t++) {
      const TableShape& shape = kTweetTables[t];
      const char* name = staging ? staging_table_name(shape.name) : shape.name;
      writers_[t] = table_writer_open(name, shape, options.batch_size);
    }
    progress_relid = staging ? RelnameGetRelid("tweets")
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
    if (staging_) {
      staging_merge(rows);
      staging_empty();
      return;
    }
    for (int t = 0; t < kNumTweetTables; t++)
      appendStringInfo(rows, "%s\"%s\": " INT64_FORMAT, t ? ", " : "",
                       kTweetTables[t].name, written[t]);
  }

 protected:
  void write(TweetTable table, const Datum* values,
             const bool* nulls) override {
    table_writer_add(writers_[table], values, nulls);
  }

 private:
  bool staging_;
  EState* estate_;
  TableWriter* writers_[kNumTweetTables];
};

}  // namespace

Sink* open_batch_sink(const SinkOptions& options, bool staging) {
  return make_sink<BatchSink>(options, staging);
}

}  // namespace tweet_loader
