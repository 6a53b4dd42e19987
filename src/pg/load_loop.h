// The load of one file, whatever the mode: every line read, parsed and
// handed to a sink (sink.h), a batch at a time; bad lines stopped at or
// skipped; progress in pg_stat_progress_copy; the file and line in the
// CONTEXT of any error raised meanwhile.
#pragma once

extern "C" {
#include "postgres.h"

#include "lib/stringinfo.h"
}

#include "pg/sink.h"
#include "read/member_source.h"

namespace tweet_loader {

// The file being read and the C++ buffers of its lines.
struct LoadInput;

struct LoadCounts {
  int64 tweets = 0;     // tweet lines, repeats included
  int64 skipped = 0;    // lines that are not tweets
  int64 bad_lines = 0;  // bad lines skipped (on_error => 'skip')
  int64 members = 0;          // members read (a plain file is one)
  int64 skipped_members = 0;  // entries with no data, dotfiles
  int64 bad_members = 0;      // corrupt members skipped (on_error => 'skip')
};

// Opens path. The C++ side belongs to the current memory context: it is
// deleted when that context goes, at the end of the load or on abort.
LoadInput* open_input(const char* path, const ReadOptions& options);

// Loads every line of input into sink, then finishes the sink, whose row
// counts go to rows.
void run_load(LoadInput* input, Sink* sink, int batch_size, bool skip_bad,
              LoadCounts* counts, StringInfo rows);

}  // namespace tweet_loader
