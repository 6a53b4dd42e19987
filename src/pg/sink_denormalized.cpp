// The denormalized mode: each tweet's line, parsed once, is written as a
// jsonb value (JsonbEncoder) into tweets_jsonb with the multi-insert path;
// into a Citus table through a staging table (staging.h), appended at the
// end.

extern "C" {
#include "postgres.h"

#include "access/heaptoast.h"
#include "access/toast_internals.h"
#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
}

#include "json/json_text.h"
#include "pg/sink.h"
#include "pg/staging.h"
#include "pg/table_writer.h"

namespace tweet_loader {

namespace {

// Compresses a value the way the toaster would in a table with the default
// toast_tuple_target: values over TOAST_TUPLE_THRESHOLD bytes, with the
// column's compression method, if its storage allows compression. The
// tweets_jsonb table create_tweet_tables makes has toast_tuple_target = 8160,
// so the compressed value stays in the row instead of going to the TOAST
// table (a chunk insert, an index entry and a new OID per tweet).
Datum compress_like_toaster(Datum value, Size size, Form_pg_attribute column) {
  if (size <= TOAST_TUPLE_THRESHOLD ||
      (column->attstorage != TYPSTORAGE_EXTENDED &&
       column->attstorage != TYPSTORAGE_MAIN))
    return value;
  Datum compressed = toast_compress_datum(value, column->attcompression);
  return DatumGetPointer(compressed) != NULL ? compressed : value;
}

// tweet_loader.check_jsonb: the encoder's bytes must be jsonb_in's.
void check_jsonb(const Jsonb* encoded, const std::string& text,
                 MemoryContext scratch) {
  MemoryContext old = MemoryContextSwitchTo(scratch);
  Jsonb* expected = DatumGetJsonbP(
      DirectFunctionCall1(jsonb_in, CStringGetDatum(text.c_str())));
  bool same = VARSIZE(expected) == VARSIZE(encoded) &&
              memcmp(expected, encoded, VARSIZE(encoded)) == 0;
  MemoryContextSwitchTo(old);
  MemoryContextReset(scratch);
  if (!same)
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("tweet_loader built a jsonb value that differs "
                           "from jsonb_in's")));
}

class DenormalizedSink final : public Sink {
 public:
  explicit DenormalizedSink(const SinkOptions& options)
      : check_(options.check_jsonb), on_citus_(options.on_citus) {
    if (on_citus_) staging_create(Staged::kTweetsJsonb);
    estate_ = writers_begin();
    writer_ = table_writer_open(
        on_citus_ ? staging_table_name(kTweetsJsonbTable.name)
                  : kTweetsJsonbTable.name,
        kTweetsJsonbTable, options.batch_size);
    column_ = TupleDescAttr(table_writer_tupdesc(writer_), 0);
    progress_relid = RelnameGetRelid(kTweetsJsonbTable.name);
    stores_json = true;
    // jsonb_in's parse state when check_jsonb is on.
    check_cxt_ = AllocSetContextCreate(CurrentMemoryContext,
                                       "tweet_loader check",
                                       ALLOCSET_DEFAULT_SIZES);
  }

  void prepare(TweetWork* work) const override {
    work->jsonb_encoder.encode(work->json, &work->jsonb);
    if (check_) strip_nul_escapes(work->text, &work->jsonb_text);
  }

  void add(const TweetWork& work) override {
    // The encoder's bytes are a whole datum, varlena header included. Only
    // what is stored is copied into the batch: the compressed value or,
    // when there is none, the bytes themselves.
    const Jsonb* built = (const Jsonb*)work.jsonb.data();
    Size size = work.jsonb.size();
    if (check_) check_jsonb(built, work.jsonb_text, check_cxt_);
    Datum value = compress_like_toaster(PointerGetDatum(built), size, column_);
    if (DatumGetPointer(value) == (const void*)built)
      value = PointerGetDatum(memcpy(palloc(size), built, size));
    bool isnull = false;
    table_writer_add(writer_, &value, &isnull);
  }

  void flush() override { table_writer_flush(writer_); }

  void finish(StringInfo rows) override {
    int64 written = table_writer_close(writer_);
    writers_end(estate_);
    if (on_citus_) {
      staging_append(Staged::kTweetsJsonb, rows);
      staging_empty(Staged::kTweetsJsonb);
      return;
    }
    appendStringInfo(rows, "\"tweets_jsonb\": " INT64_FORMAT, written);
  }

 private:
  bool check_;
  bool on_citus_;
  EState* estate_;
  TableWriter* writer_;
  Form_pg_attribute column_;
  MemoryContext check_cxt_;
};

}  // namespace

Sink* open_denormalized_sink(const SinkOptions& options) {
  return make_sink<DenormalizedSink>(options);
}

}  // namespace tweet_loader
