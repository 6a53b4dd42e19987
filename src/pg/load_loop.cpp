#include "pg/load_loop.h"

extern "C" {
#include "commands/progress.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/backend_progress.h"
#include "utils/memutils.h"
}

#include <string>

#include "pg/boundary.h"
#include "read/line_reader.h"
#include "tweet/v2_response.h"

namespace tweet_loader {

struct LoadInput {
  LoadInput(const char* p, const ReadOptions& options)
      : path(p), reader(p, options) {}
  std::string path;
  LineReader reader;
  LineWork work;
};

namespace {

// The tweets of work->line into work->tweets[0, count). Plain C++, inside
// try_cxx. A v2 response's tweets are mapped from it or, with json (the
// sink reads their JSON), read from their flattened texts.
void parse_line(LineWork* work, bool json) {
  work->count = 0;
  if (work->tweets.empty()) work->tweets.emplace_back();
  TweetWork& first = work->tweets[0];
  switch (parse_tweet(work->line, &first.json, &first.tweet,
                      json ? &work->responses : nullptr,
                      json ? nullptr : &work->response_tweets)) {
    case LineKind::kNotTweet:
      return;
    case LineKind::kTweet:
      first.text = work->line;
      work->count = 1;
      return;
    case LineKind::kResponse:
      break;
  }
  const size_t n =
      json ? work->responses.size() : work->response_tweets.size();
  if (work->tweets.size() < n) work->tweets.resize(n);
  for (size_t i = 0; i < n; ++i) {
    TweetWork& t = work->tweets[i];
    if (!json) {
      std::swap(t.tweet, work->response_tweets[i]);
      continue;
    }
    t.text = work->responses[i];
    try {
      parse_v2_tweet(t.text, &t.json, &t.tweet);
    } catch (const LoadError& e) {
      fail_in_response(i, e);
    }
  }
  work->count = n;
}

// How many bad lines, and bad members, on_error => 'skip' reports one by one.
constexpr int64 kReportedBadLines = 5;
constexpr int64 kReportedBadMembers = 5;

// A batch is written early once its rows hold this much memory, as COPY FROM
// bounds its buffers by bytes too: batch_size 100000 of denormalized tweets
// otherwise kept about 900 MB.
constexpr Size kMaxBatchBytes = 32 * 1024 * 1024;

void delete_input(void* arg) { delete static_cast<LoadInput*>(arg); }

// Where the load is, for the CONTEXT line of any error raised meanwhile.
struct Position {
  const char* path;    // null: the message names the file already
  const char* member;  // archive member of the line, or ""
  uint64 line;         // counted within the member; 0: not at a line
};

void position_context(void* arg) {
  const Position* pos = static_cast<const Position*>(arg);
  if (pos->path == nullptr) return;
  if (pos->line == 0)
    errcontext("load_tweets file \"%s\"", pos->path);
  else if (pos->member[0] != '\0')
    errcontext("load_tweets file \"%s\", member \"%s\", line " UINT64_FORMAT,
               pos->path, pos->member, pos->line);
  else
    errcontext("load_tweets file \"%s\", line " UINT64_FORMAT, pos->path,
               pos->line);
}

// An error of the file as a whole (open, decompression, encoding). Opening
// errors name the file themselves; the others get its name here.
void raise_file_error(const char* path, const CxxFailure& f) {
  if (is_open_failure(f))
    ereport(ERROR, (errcode(sqlstate_of(f)), errmsg("%s", f.message)));
  ereport(ERROR,
          (errcode(sqlstate_of(f)),
           errmsg("could not read tweet file \"%s\": %s", path, f.message)));
}

// An error of one line, stopped at or, with on_error => 'skip', reported
// and skipped. The CONTEXT names the file; the message names the member of
// an archive, and the line within it.
void report_line_error(const Position& pos, const CxxFailure& f, bool skip,
                       int64 bad_lines) {
  char where[1200];
  if (pos.member[0] != '\0')
    snprintf(where, sizeof where, "in \"%s\": %s: line " UINT64_FORMAT,
             pos.path, pos.member, pos.line);
  else
    snprintf(where, sizeof where, "at line " UINT64_FORMAT, pos.line);
  if (!skip || f.kind != CxxFailure::kLoad)
    ereport(ERROR, (errcode(sqlstate_of(f)),
                    errmsg("invalid tweet %s: %s", where, f.message)));
  if (bad_lines <= kReportedBadLines)
    ereport(WARNING,
            (errcode(sqlstate_of(f)),
             errmsg("skipped bad line %s: %s",
                    pos.member[0] != '\0' ? where : where + strlen("at line "),
                    f.message),
             bad_lines == kReportedBadLines
                 ? errdetail("Further bad lines are skipped without a warning.")
                 : 0));
}

// A member that cannot be read (corrupt, truncated, an archive itself):
// with on_error => 'skip' it is skipped whole and reported, else the load
// stops.
void report_bad_member(const char* path, const CxxFailure& f, bool skip,
                       int64 bad_members) {
  if (!skip)
    ereport(ERROR,
            (errcode(sqlstate_of(f)),
             errmsg("could not read tweet file \"%s\": %s", path, f.message)));
  if (bad_members <= kReportedBadMembers)
    ereport(WARNING,
            (errcode(sqlstate_of(f)),
             errmsg("skipped bad member of \"%s\": %s", path, f.message),
             bad_members == kReportedBadMembers
                 ? errdetail("Further bad members are skipped without a "
                             "warning.")
                 : 0));
}

void report_progress(const LineReader& reader, const LoadCounts& counts) {
  const int index[] = {PROGRESS_COPY_BYTES_PROCESSED,
                       PROGRESS_COPY_TUPLES_PROCESSED,
                       PROGRESS_COPY_TUPLES_EXCLUDED};
  const int64 value[] = {(int64)reader.bytes_read(), counts.tweets,
                         counts.skipped + counts.bad_lines};
  pgstat_progress_update_multi_param(3, index, value);
}

}  // namespace

LoadInput* open_input(const char* path, const ReadOptions& options) {
  MemoryContextCallback* owner = (MemoryContextCallback*)palloc(
      sizeof(MemoryContextCallback));
  CxxFailure failure;
  LoadInput* input = nullptr;
  if (!try_cxx([&] { input = new LoadInput(path, options); }, &failure))
    raise_file_error(path, failure);
  owner->func = delete_input;
  owner->arg = input;
  MemoryContextRegisterResetCallback(CurrentMemoryContext, owner);
  return input;
}

void run_load(LoadInput* input, Sink* sink, int batch_size, bool skip_bad,
              LoadCounts* counts, StringInfo rows) {
  LineReader& reader = input->reader;
  LineWork& work = input->work;
  // The batch context is reset over and over: a keeper block large enough
  // for a typical batch spares the allocator (and the kernel) the work of
  // giving memory back and faulting it in again.
  MemoryContext batch_cxt =
      AllocSetContextCreate(CurrentMemoryContext, "tweet_loader batch",
                            8 * 1024 * 1024, 8 * 1024 * 1024,
                            ALLOCSET_DEFAULT_MAXSIZE);
  Position pos = {input->path.c_str(), "", 0};
  ErrorContextCallback errcb;
  errcb.callback = position_context;
  errcb.arg = &pos;
  errcb.previous = error_context_stack;
  error_context_stack = &errcb;

  // Shown in pg_stat_progress_copy like a COPY FROM a file.
  pgstat_progress_start_command(PROGRESS_COMMAND_COPY, sink->progress_relid);
  const int index[] = {PROGRESS_COPY_COMMAND, PROGRESS_COPY_TYPE,
                       PROGRESS_COPY_BYTES_TOTAL};
  const int64 value[] = {PROGRESS_COPY_COMMAND_FROM, PROGRESS_COPY_TYPE_FILE,
                         (int64)reader.file_size()};
  pgstat_progress_update_multi_param(3, index, value);

  int in_batch = 0;
  for (;;) {
    CHECK_FOR_INTERRUPTS();
    CxxFailure failure;
    bool have_line = false;
    if (!try_cxx([&] { have_line = reader.next(work.line); }, &failure)) {
      pos.line = failure.line;  // 0 for errors of the container
      pos.member = reader.member_name().c_str();
      if (failure.kind == CxxFailure::kLoad && reader.member_skippable()) {
        counts->bad_members++;
        if (!skip_bad) pos.path = nullptr;  // the message names the file
        report_bad_member(input->path.c_str(), failure, skip_bad,
                          counts->bad_members);
        continue;
      }
      if (pos.line == 0) pos.path = nullptr;
      raise_file_error(input->path.c_str(), failure);
    }
    if (!have_line) break;
    pos.line = reader.line_number();
    pos.member = reader.member_name().c_str();

    // Every tweet of the line is read and prepared before any is added:
    // a bad line, a whole v2 page too, adds nothing.
    bool ok = try_cxx(
        [&] {
          parse_line(&work, sink->stores_json);
          for (size_t i = 0; i < work.count; ++i)
            sink->prepare(&work.tweets[i]);
        },
        &failure);
    if (!ok) {
      counts->bad_lines++;
      report_line_error(pos, failure, skip_bad, counts->bad_lines);
      continue;
    }
    if (work.count == 0) {
      counts->skipped++;
      continue;
    }

    for (size_t i = 0; i < work.count; ++i) {
      counts->tweets++;
      MemoryContext old = MemoryContextSwitchTo(batch_cxt);
      sink->add(work.tweets[i]);
      MemoryContextSwitchTo(old);
      if (++in_batch >= batch_size ||
          MemoryContextMemAllocated(batch_cxt, true) >= kMaxBatchBytes) {
        sink->flush();
        MemoryContextReset(batch_cxt);
        in_batch = 0;
        report_progress(reader, *counts);
      }
    }
  }
  pos.line = 0;
  pos.member = "";
  counts->members = (int64)reader.members();
  counts->skipped_members = (int64)reader.skipped_members();
  sink->finish(rows);
  MemoryContextDelete(batch_cxt);
  report_progress(reader, *counts);
  pgstat_progress_end_command();
  error_context_stack = errcb.previous;
}

}  // namespace tweet_loader
