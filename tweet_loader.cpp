// SQL entry points of tweet_loader. Each is a thin C-callable wrapper: the
// plain C++ layer (reading files, mapping tweets) is called through try_cxx,
// and Postgres errors are raised only where no C++ object is alive.

extern "C" {
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/heaptoast.h"
#include "access/htup_details.h"
#include "access/toast_internals.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid.h"
#include "commands/dbcommands.h"
#include "commands/progress.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/backend_progress.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(load_tweets);
void _PG_init(void);
}

#include <string>
#include <string_view>

#include "json_text.h"
#include "json_tree.h"
#include "jsonb_encoder.h"
#include "line_reader.h"
#include "pg/guard.h"
#include "pg/layout.h"
#include "pg/normalized_merge.h"
#include "pg/table_writer.h"
#include "pg/tweet_rows.h"
#include "tweet.h"

using namespace tweet_loader;

static int batch_size_guc = 1000;
static bool check_jsonb_guc = false;

void _PG_init(void) {
  DefineCustomIntVariable(
      "tweet_loader.batch_size",
      "Tweets gathered before their rows are written together.",
      "load_tweets' batch_size argument overrides it for one call.",
      &batch_size_guc, 1000, 1, 100000, PGC_USERSET, 0, NULL, NULL, NULL);
  DefineCustomBoolVariable(
      "tweet_loader.check_jsonb",
      "Checks every jsonb value a denormalized load builds against jsonb_in.",
      "Denormalized loads build jsonb values directly from the text; with "
      "this on, each is also made by jsonb_in and the bytes compared.",
      &check_jsonb_guc, false, PGC_USERSET, 0, NULL, NULL, NULL);
  MarkGUCPrefixReserved("tweet_loader");
}

namespace {

// How many bad lines on_error => 'skip' reports one by one.
constexpr int64 kReportedBadLines = 5;

// A batch is written early once its rows hold this much memory, as COPY FROM
// bounds its buffers by bytes too: batch_size 100000 of denormalized tweets
// otherwise kept about 900 MB.
constexpr Size kMaxBatchBytes = 32 * 1024 * 1024;

// The C++ side of one load, owned by the load's memory context: when the
// context goes (at the end, or when the transaction aborts) the callback
// deletes it, so files and zlib streams are closed on every path.
struct LoadState {
  explicit LoadState(const char* path) : reader(path) {}
  LineReader reader;
  Tweet tweet;
  std::string_view line;
  JsonTree json;               // the line parsed
  JsonbEncoder jsonb_encoder;
  std::string jsonb;           // the line as a jsonb datum
  std::string jsonb_text;      // the line without \u0000, for check_jsonb
  std::string wkb;             // the tweet's geometry
};

void delete_load_state(void* arg) { delete static_cast<LoadState*>(arg); }

// Where the load is, for the CONTEXT line of any error raised meanwhile.
struct Position {
  const char* path;
  const char* member;  // zip member of the line, or ""
  uint64 line;         // counted over the whole file
};

void position_context(void* arg) {
  const Position* pos = static_cast<const Position*>(arg);
  if (pos->line == 0)
    errcontext("load_tweets file \"%s\"", pos->path);
  else if (pos->member[0] != '\0')
    errcontext(
        "load_tweets file \"%s\", zip member \"%s\", line " UINT64_FORMAT,
        pos->path, pos->member, pos->line);
  else
    errcontext("load_tweets file \"%s\", line " UINT64_FORMAT, pos->path,
               pos->line);
}

int sqlstate_of(const CxxFailure& f) {
  if (f.kind == CxxFailure::kOutOfMemory) return ERRCODE_OUT_OF_MEMORY;
  if (f.kind == CxxFailure::kInternal) return ERRCODE_INTERNAL_ERROR;
  switch (f.load_kind) {
    case ErrorKind::kFileAccess:
      return ERRCODE_UNDEFINED_FILE;
    case ErrorKind::kBadInput:
      return ERRCODE_INVALID_TEXT_REPRESENTATION;
    case ErrorKind::kBadEncoding:
      return ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
    case ErrorKind::kCorruptFile:
      return ERRCODE_DATA_CORRUPTED;
    case ErrorKind::kOutOfRange:
      return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
    case ErrorKind::kTooDeep:
      return ERRCODE_STATEMENT_TOO_COMPLEX;
    case ErrorKind::kTooLarge:
      return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
  }
  return ERRCODE_INTERNAL_ERROR;
}

// An error of the file as a whole (open, decompression, encoding).
void raise_file_error(const char* path, const CxxFailure& f) {
  ereport(ERROR,
          (errcode(sqlstate_of(f)),
           errmsg("could not read tweet file \"%s\": %s", path, f.message)));
}

// An error of one line. With on_error => 'skip' it is reported and skipped.
void report_line_error(const Position& pos, const CxxFailure& f, bool skip,
                       int64 bad_lines) {
  if (!skip || f.kind != CxxFailure::kLoad)
    ereport(ERROR, (errcode(sqlstate_of(f)),
                    errmsg("invalid tweet in file \"%s\" at line " UINT64_FORMAT
                           ": %s",
                           pos.path, pos.line, f.message)));
  if (bad_lines <= kReportedBadLines)
    ereport(WARNING,
            (errcode(sqlstate_of(f)),
             errmsg("skipped line " UINT64_FORMAT " of \"%s\": %s", pos.line,
                    pos.path, f.message),
             bad_lines == kReportedBadLines
                 ? errdetail("Further bad lines are skipped without a warning.")
                 : 0));
}

// Reading a server file needs the same right as COPY FROM a file.
void check_read_privilege(void) {
  if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
    ereport(
        ERROR,
        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
         errmsg("permission denied to load tweets from a file"),
         errdetail("Only roles with privileges of the \"pg_read_server_files\" "
                   "role may read server files.")));
}

// The checks COPY makes before opening, with errno-based SQLSTATEs.
void check_file(const char* path) {
  if (!is_absolute_path(path))
    ereport(ERROR, (errcode(ERRCODE_INVALID_NAME),
                    errmsg("relative path not allowed for load_tweets: \"%s\"",
                           path)));
  struct stat st;
  if (stat(path, &st) != 0)
    ereport(ERROR,
            (errcode_for_file_access(),
             errmsg("could not open file \"%s\" for reading: %m", path)));
  if (S_ISDIR(st.st_mode))
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("\"%s\" is a directory", path)));
  // A FIFO or a device: zip needs to seek, and reading a pipe could wait
  // for its writer beyond the reach of a cancel.
  if (!S_ISREG(st.st_mode))
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("\"%s\" is not a regular file", path)));
  if (access(path, R_OK) != 0)
    ereport(ERROR, (errcode_for_file_access(),
                    errmsg("could not open file \"%s\" for reading: %m", path)));
}

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

// Where the rows of a load go.
struct Sinks {
  LoadMode mode;
  TableWriter* writers[kNumBatchTables];  // batch: one per table
  TableWriter* jsonb_writer;              // denormalized
  SPIPlanPtr plans[kNumBatchTables];      // normalized (row mode)
  int64 row_counts[kNumBatchTables];
};

void write_row(void* context, BatchTable table, const Datum* values,
               const bool* nulls) {
  Sinks* sinks = static_cast<Sinks*>(context);
  sinks->row_counts[table]++;
  if (sinks->mode == LoadMode::kBatch) {
    table_writer_add(sinks->writers[table], values, nulls);
    return;
  }
  // Row mode: one INSERT per row through SPI.
  int n = kBatchTables[table].ncolumns;
  char nullflags[32] = {0};
  for (int i = 0; i < n; i++) nullflags[i] = nulls[i] ? 'n' : ' ';
  int rc = SPI_execute_plan(sinks->plans[table], const_cast<Datum*>(values),
                            nullflags, false, 0);
  if (rc != SPI_OK_INSERT)
    elog(ERROR, "tweet_loader: staging insert failed: %s",
         SPI_result_code_string(rc));
}

// Row mode's prepared INSERT into one staging table.
SPIPlanPtr prepare_stage_insert(BatchTable table, TupleDesc desc) {
  const BatchTableShape& shape = kBatchTables[table];
  StringInfoData sql;
  initStringInfo(&sql);
  appendStringInfo(&sql, "INSERT INTO %s VALUES (",
                   staging_table_name(shape.name));
  Oid* types = (Oid*)palloc(sizeof(Oid) * shape.ncolumns);
  for (int i = 0; i < shape.ncolumns; i++) {
    appendStringInfo(&sql, "%s$%d", i ? ", " : "", i + 1);
    types[i] = TupleDescAttr(desc, i)->atttypid;
  }
  appendStringInfoChar(&sql, ')');
  SPIPlanPtr plan = SPI_prepare(sql.data, shape.ncolumns, types);
  if (plan == NULL)
    elog(ERROR, "tweet_loader: SPI_prepare failed: %s",
         SPI_result_code_string(SPI_result));
  SPI_keepplan(plan);
  return plan;
}

const ColumnShape kJsonbColumns[] = {{"data", JSONBOID}};

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

Datum build_result(FunctionCallInfo fcinfo, int64 tweets, int64 skipped,
                   int64 bad_lines, const char* rows_json) {
  TupleDesc desc;
  if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
    elog(ERROR, "load_tweets must return a record");
  desc = BlessTupleDesc(desc);
  Datum values[4] = {Int64GetDatum(tweets), Int64GetDatum(skipped),
                     Int64GetDatum(bad_lines),
                     DirectFunctionCall1(jsonb_in, CStringGetDatum(rows_json))};
  bool nulls[4] = {false, false, false, false};
  return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

}  // namespace

// load_tweets(path, mode, batch_size, on_error) returns (tweets, skipped,
// bad_lines, rows).
extern "C" Datum load_tweets(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("load_tweets needs a path and a mode")));
  const char* path = text_to_cstring(PG_GETARG_TEXT_PP(0));
  const char* mode_name = text_to_cstring(PG_GETARG_TEXT_PP(1));
  int batch_size = PG_ARGISNULL(2) ? batch_size_guc : PG_GETARG_INT32(2);
  const char* on_error =
      PG_ARGISNULL(3) ? "stop" : text_to_cstring(PG_GETARG_TEXT_PP(3));

  check_read_privilege();
  // Tweets are UTF-8 and go into text and jsonb without conversion.
  if (GetDatabaseEncoding() != PG_UTF8)
    ereport(ERROR,
            (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
             errmsg("load_tweets needs a database with encoding UTF8"),
             errdetail("Database \"%s\" has encoding %s.",
                       get_database_name(MyDatabaseId),
                       GetDatabaseEncodingName())));
  Layout layout = detect_layout();
  LoadMode mode = check_mode(mode_name, layout);
  if (batch_size < 1 || batch_size > 100000)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("batch_size must be between 1 and 100000, not %d",
                           batch_size)));
  bool skip_bad = false;
  if (strcmp(on_error, "skip") == 0)
    skip_bad = true;
  else if (strcmp(on_error, "stop") != 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("on_error must be 'stop' or 'skip', not \"%s\"",
                           on_error)));
  check_file(path);

  MemoryContext caller_cxt = CurrentMemoryContext;
  MemoryContext load_cxt = AllocSetContextCreate(
      CurrentMemoryContext, "tweet_loader load", ALLOCSET_DEFAULT_SIZES);
  // The batch context is reset over and over: a keeper block large enough
  // for a typical batch spares the allocator (and the kernel) the work of
  // giving memory back and faulting it in again.
  MemoryContext batch_cxt =
      AllocSetContextCreate(load_cxt, "tweet_loader batch", 8 * 1024 * 1024,
                            8 * 1024 * 1024, ALLOCSET_DEFAULT_MAXSIZE);
  // jsonb_in's parse state when check_jsonb is on.
  MemoryContext check_cxt = AllocSetContextCreate(
      load_cxt, "tweet_loader check", ALLOCSET_DEFAULT_SIZES);
  MemoryContextCallback* owner = (MemoryContextCallback*)MemoryContextAlloc(
      load_cxt, sizeof(MemoryContextCallback));

  CxxFailure failure;
  LoadState* state = nullptr;
  if (!try_cxx([&] { state = new LoadState(path); }, &failure))
    raise_file_error(path, failure);
  owner->func = delete_load_state;
  owner->arg = state;
  MemoryContextRegisterResetCallback(load_cxt, owner);

  Position pos = {path, "", 0};
  ErrorContextCallback errcb;
  errcb.callback = position_context;
  errcb.arg = &pos;
  errcb.previous = error_context_stack;
  error_context_stack = &errcb;

  bool normalized = layout == Layout::kNormalized;
  Sinks sinks;
  memset(&sinks, 0, sizeof(sinks));
  sinks.mode = mode;
  RowBuilder builder;

  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  MemoryContextSwitchTo(load_cxt);
  HTAB* staged_ids = nullptr;
  if (normalized) {
    // Its merge writes the layout's tables (the multi-insert path checks
    // each table it opens).
    PreventCommandIfReadOnly("load_tweets");
    staging_create(get_func_namespace(fcinfo->flinfo->fn_oid));
    staged_ids = staged_ids_create(load_cxt);
  }
  EState* trigger_estate = writers_begin();
  Oid progress_relid = InvalidOid;
  Form_pg_attribute jsonb_column = nullptr;
  if (mode == LoadMode::kDenormalized) {
    sinks.jsonb_writer =
        table_writer_open("tweets_jsonb", kJsonbColumns, 1, batch_size);
    progress_relid = table_writer_relid(sinks.jsonb_writer);
    jsonb_column = TupleDescAttr(table_writer_tupdesc(sinks.jsonb_writer), 0);
  } else {
    for (int t = 0; t < kNumBatchTables; t++) {
      const BatchTableShape& shape = kBatchTables[t];
      const char* name =
          normalized ? staging_table_name(shape.name) : shape.name;
      // Row mode opens the staging tables only to check their shape.
      sinks.writers[t] =
          table_writer_open(name, shape.columns, shape.ncolumns, batch_size);
      if (mode == LoadMode::kNormalized)
        sinks.plans[t] = prepare_stage_insert(
            (BatchTable)t, table_writer_tupdesc(sinks.writers[t]));
    }
    TupleDesc tweets_desc = table_writer_tupdesc(sinks.writers[kTweets]);
    row_builder_init(&builder, TupleDescAttr(tweets_desc, 17)->atttypid);
    progress_relid = normalized ? RelnameGetRelid("tweets")
                                : table_writer_relid(sinks.writers[kTweets]);
  }

  // Shown in pg_stat_progress_copy like a COPY FROM a file.
  pgstat_progress_start_command(PROGRESS_COMMAND_COPY, progress_relid);
  {
    const int index[] = {PROGRESS_COPY_COMMAND, PROGRESS_COPY_TYPE,
                         PROGRESS_COPY_BYTES_TOTAL};
    const int64 value[] = {PROGRESS_COPY_COMMAND_FROM, PROGRESS_COPY_TYPE_FILE,
                           (int64)state->reader.file_size()};
    pgstat_progress_update_multi_param(3, index, value);
  }

  int64 tweets = 0, skipped = 0, bad_lines = 0;
  int in_batch = 0;
  bool want_jsonb = mode == LoadMode::kDenormalized;
  for (;;) {
    CHECK_FOR_INTERRUPTS();
    bool have_line = false;
    if (!try_cxx([&] { have_line = state->reader.next(state->line); },
                 &failure)) {
      pos.line = failure.line;  // 0 for errors of the container
      pos.member = state->reader.member_name().c_str();
      raise_file_error(path, failure);
    }
    if (!have_line) break;
    pos.line = state->reader.line_number();
    pos.member = state->reader.member_name().c_str();

    LineKind kind = LineKind::kNotTweet;
    bool ok = try_cxx(
        [&] {
          // The load's own tree: its buffers go with the load.
          kind = parse_tweet_keeping_tree(state->line, &state->json,
                                          &state->tweet);
          if (kind != LineKind::kTweet) return;
          if (want_jsonb) {
            // The same parse gives the jsonb to store.
            state->jsonb_encoder.encode(state->json, &state->jsonb);
            if (check_jsonb_guc)
              strip_nul_escapes(state->line, &state->jsonb_text);
          } else {
            state->wkb = state->tweet.geo.to_wkb();
          }
        },
        &failure);
    if (!ok) {
      bad_lines++;
      report_line_error(pos, failure, skip_bad, bad_lines);
      continue;
    }
    if (kind != LineKind::kTweet) {
      skipped++;
      continue;
    }

    tweets++;
    MemoryContext old = MemoryContextSwitchTo(batch_cxt);
    if (want_jsonb) {
      // The encoder's bytes are a whole datum, varlena header included.
      // Only what is stored is copied into the batch: the compressed value
      // or, when there is none, the bytes themselves.
      const Jsonb* built = (const Jsonb*)state->jsonb.data();
      Size size = state->jsonb.size();
      if (check_jsonb_guc) check_jsonb(built, state->jsonb_text, check_cxt);
      Datum value = compress_like_toaster(PointerGetDatum(built), size,
                                          jsonb_column);
      if (DatumGetPointer(value) == (const void*)built)
        value = PointerGetDatum(memcpy(palloc(size), built, size));
      bool isnull = false;
      table_writer_add(sinks.jsonb_writer, &value, &isnull);
    } else if (staged_ids == nullptr ||
               staged_ids_add(staged_ids, state->tweet.id)) {
      // The normalized layout stages only the first line of a tweet id in
      // the file. A repeat still counts in the batch, so that progress is
      // reported every batch_size lines.
      emit_tweet_rows(&builder, state->tweet, state->wkb.data(),
                      state->wkb.size(), write_row, &sinks);
    }
    MemoryContextSwitchTo(old);

    if (++in_batch >= batch_size ||
        MemoryContextMemAllocated(batch_cxt, true) >= kMaxBatchBytes) {
      if (want_jsonb)
        table_writer_flush(sinks.jsonb_writer);
      else if (mode == LoadMode::kBatch)
        for (TableWriter* w : sinks.writers) table_writer_flush(w);
      MemoryContextReset(batch_cxt);
      in_batch = 0;
      const int index[] = {PROGRESS_COPY_BYTES_PROCESSED,
                           PROGRESS_COPY_TUPLES_PROCESSED,
                           PROGRESS_COPY_TUPLES_EXCLUDED};
      const int64 value[] = {(int64)state->reader.bytes_read(), tweets,
                             skipped + bad_lines};
      pgstat_progress_update_multi_param(3, index, value);
    }
  }
  pos.line = 0;

  StringInfoData rows;  // outlives SPI_finish and the load's context
  MemoryContextSwitchTo(caller_cxt);
  initStringInfo(&rows);
  appendStringInfoChar(&rows, '{');
  MemoryContextSwitchTo(load_cxt);
  if (want_jsonb) {
    table_writer_close(sinks.jsonb_writer);
    appendStringInfo(&rows, "\"tweets_jsonb\": " INT64_FORMAT, tweets);
  } else {
    for (TableWriter* w : sinks.writers) table_writer_close(w);
  }
  MemoryContextReset(batch_cxt);
  writers_end(trigger_estate);
  if (normalized) {
    staging_merge(&rows);
    staging_drop();
  } else if (mode == LoadMode::kBatch) {
    for (int t = 0; t < kNumBatchTables; t++)
      appendStringInfo(&rows, "%s\"%s\": " INT64_FORMAT, t ? ", " : "",
                       kBatchTables[t].name, sinks.row_counts[t]);
  }
  MemoryContextSwitchTo(caller_cxt);
  appendStringInfoChar(&rows, '}');
  MemoryContextSwitchTo(load_cxt);
  for (SPIPlanPtr plan : sinks.plans)
    if (plan) SPI_freeplan(plan);
  SPI_finish();

  pgstat_progress_update_param(PROGRESS_COPY_BYTES_PROCESSED,
                               (int64)state->reader.bytes_read());
  pgstat_progress_end_command();
  error_context_stack = errcb.previous;
  MemoryContextDelete(load_cxt);
  return build_result(fcinfo, tweets, skipped, bad_lines, rows.data);
}
