// load_tweets(path, mode, batch_size, on_error, part): the SQL entry point
// that loads one file, or one part of an archive's members. It checks its
// arguments, opens the file and the mode's sink, runs the load loop and
// returns (tweets, skipped, bad_lines, rows, members, skipped_members,
// bad_members).

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(load_tweets);
}

#include "pg/citus.h"
#include "pg/layout.h"
#include "pg/load_checks.h"
#include "pg/load_loop.h"
#include "pg/module.h"
#include "pg/sink.h"

using namespace tweet_loader;

namespace {

Datum build_result(FunctionCallInfo fcinfo, const LoadCounts& counts,
                   const char* rows_json) {
  TupleDesc desc;
  if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
    elog(ERROR, "load_tweets must return a record");
  desc = BlessTupleDesc(desc);
  Datum values[7] = {Int64GetDatum(counts.tweets),
                     Int64GetDatum(counts.skipped),
                     Int64GetDatum(counts.bad_lines),
                     DirectFunctionCall1(jsonb_in, CStringGetDatum(rows_json)),
                     Int64GetDatum(counts.members),
                     Int64GetDatum(counts.skipped_members),
                     Int64GetDatum(counts.bad_members)};
  bool nulls[7] = {false, false, false, false, false, false, false};
  return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

}  // namespace

extern "C" Datum load_tweets(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("load_tweets needs a path and a mode")));
  const char* path = text_to_cstring(PG_GETARG_TEXT_PP(0));
  const char* mode_name = text_to_cstring(PG_GETARG_TEXT_PP(1));
  SinkOptions options;
  options.batch_size = PG_ARGISNULL(2) ? batch_size_guc : PG_GETARG_INT32(2);
  options.check_jsonb = check_jsonb_guc;
  const char* on_error =
      PG_ARGISNULL(3) ? "stop" : text_to_cstring(PG_GETARG_TEXT_PP(3));
  const char* part = PG_NARGS() < 5 || PG_ARGISNULL(4)
                         ? nullptr
                         : text_to_cstring(PG_GETARG_TEXT_PP(4));

  check_load_allowed();
  Layout layout = detect_layout();
  LoadMode mode = check_mode(mode_name, layout);
  options.on_citus = layout_is_citus(layout);
  check_batch_size(options.batch_size);
  bool skip_bad = parse_on_error(on_error);
  ReadOptions read;
  parse_part(part, &read.part, &read.parts);
  read.threads = (unsigned)decompress_threads_guc;
  // Only a load that skips bad members needs each member whole before its
  // lines; one that stops at the first error fails whole anyway, and reads
  // a member's first lines while the rest is decompressed.
  read.whole_members = skip_bad;
  check_path(path);

  // The counts outlive SPI_finish and the load's context.
  MemoryContext caller_cxt = CurrentMemoryContext;
  StringInfoData rows;
  initStringInfo(&rows);
  appendStringInfoChar(&rows, '{');

  MemoryContext load_cxt = AllocSetContextCreate(
      caller_cxt, "tweet_loader load", ALLOCSET_DEFAULT_SIZES);
  MemoryContextSwitchTo(load_cxt);
  LoadInput* input = open_input(path, read);
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  MemoryContextSwitchTo(load_cxt);
  Sink* sink = open_sink(mode, layout, options);
  LoadCounts counts;
  run_load(input, sink, options.batch_size, skip_bad, &counts, &rows);
  SPI_finish();
  MemoryContextSwitchTo(caller_cxt);
  MemoryContextDelete(load_cxt);

  appendStringInfoChar(&rows, '}');
  return build_result(fcinfo, counts, rows.data);
}
