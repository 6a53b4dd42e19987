// The row mode ('normalized'): the simple reference path. Each row is
// inserted into the staging tables by a prepared INSERT through SPI, then
// merged as a batch load's are.

#include "pg/merge.h"
#include "pg/rows_sink.h"

extern "C" {
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
}

namespace tweet_loader {

namespace {

// The prepared INSERT into one staging table.
SPIPlanPtr prepare_stage_insert(const TableShape& shape) {
  StringInfoData sql;
  initStringInfo(&sql);
  appendStringInfo(&sql, "INSERT INTO %s VALUES (",
                   staging_table_name(shape.name));
  Oid* types = (Oid*)palloc(sizeof(Oid) * shape.ncolumns);
  for (int i = 0; i < shape.ncolumns; i++) {
    int32 typmod;
    appendStringInfo(&sql, "%s$%d", i ? ", " : "", i + 1);
    column_pg_type(shape.columns[i], false, &types[i], &typmod);
    if (!OidIsValid(types[i])) types[i] = geometry_type_oid();
  }
  appendStringInfoChar(&sql, ')');
  SPIPlanPtr plan = SPI_prepare(sql.data, shape.ncolumns, types);
  if (plan == NULL)
    elog(ERROR, "tweet_loader: SPI_prepare failed: %s",
         SPI_result_code_string(SPI_result));
  return plan;
}

class RowSink final : public RowsSink {
 public:
  explicit RowSink(bool on_citus) : RowsSink(true), on_citus_(on_citus) {
    staging_create(Staged::kTweetRows);
    for (int t = 0; t < kNumTweetTables; t++)
      plans_[t] = prepare_stage_insert(kTweetTables[t]);
    progress_relid = RelnameGetRelid("tweets");
  }

  // Every row is inserted as it comes.
  void flush() override {}

  void finish(StringInfo rows) override {
    staging_merge(on_citus_, staged_tweets(), rows);
    staging_empty(Staged::kTweetRows);
  }

 protected:
  void write(TweetTable table, const Datum* values,
             const bool* nulls) override {
    char nullflags[32] = {0};
    for (int i = 0; i < kTweetTables[table].ncolumns; i++)
      nullflags[i] = nulls[i] ? 'n' : ' ';
    int rc = SPI_execute_plan(plans_[table], const_cast<Datum*>(values),
                              nullflags, false, 0);
    if (rc != SPI_OK_INSERT)
      elog(ERROR, "tweet_loader: staging insert failed: %s",
           SPI_result_code_string(rc));
  }

 private:
  bool on_citus_;
  SPIPlanPtr plans_[kNumTweetTables];
};

}  // namespace

Sink* open_row_sink(const SinkOptions& options) {
  // Rows are inserted one by one: no batch to size.
  return make_sink<RowSink>(options.on_citus);
}

}  // namespace tweet_loader
