// Where the rows of a load go: one sink per mode, each opened, then given
// every tweet of the file (prepare, add), flushed once per batch and
// finished once. The load loop (load_loop.h) knows nothing of modes.
#pragma once

extern "C" {
#include "postgres.h"

#include "lib/stringinfo.h"
}

#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "json/json_tree.h"
#include "json/jsonb_encoder.h"
#include "pg/layout.h"
#include "tweet/tweet.h"

namespace tweet_loader {

// One tweet on its way through a load, with the C++ buffers reused from
// line to line. The load owns it on the C++ side of the boundary.
struct TweetWork {
  std::string_view text;  // its JSON: the line, or a v2 response's tweet
  JsonTree json;          // text parsed
  Tweet tweet;            // the tweet read from it
  JsonbEncoder jsonb_encoder;
  std::string jsonb;       // denormalized: text as a jsonb datum
  std::string jsonb_text;  // with check_jsonb: text without \u0000
  std::string wkb;         // normalized layouts: the tweet's geometry
};

// One line: no tweet, one, or the tweets of a v2 response.
struct LineWork {
  std::string_view line;
  std::vector<std::string> responses;  // a v2 response's flattened tweets
  std::vector<Tweet> response_tweets;  // or the tweets mapped from it
  std::vector<TweetWork> tweets;       // the first `count` are the line's
  size_t count = 0;
};

struct SinkOptions {
  int batch_size;
  bool check_jsonb;  // tweet_loader.check_jsonb
  bool on_citus;     // the layout's tables are Citus tables (citus.h)
};

// A sink lives in the load's memory context. It holds no C++ object with
// a destructor, so an error may unwind past it: every subclass is
// trivially destructible (checked where it is defined).
class Sink {
 public:
  // Plain C++, inside try_cxx: makes from the parsed tweet what add()
  // needs (jsonb bytes, WKB). A LoadError makes the line a bad line.
  virtual void prepare(TweetWork* work) const = 0;
  // The tweet's rows into the batch, allocated in the current memory
  // context (the batch's).
  virtual void add(const TweetWork& work) = 0;
  // Writes the batch's rows; the batch's memory is reset afterwards.
  virtual void flush() = 0;
  // Writes what is left, merges where the mode does, and appends
  // "table": rows pairs to rows, a JSON object being built.
  virtual void finish(StringInfo rows) = 0;

  // The table pg_stat_progress_copy names.
  Oid progress_relid = InvalidOid;
  // Whether prepare() reads each tweet's JSON (work->json, work->text), not
  // only its Tweet: the tweets of a v2 response are then written out as
  // flattened texts and parsed again, else mapped from the response.
  bool stores_json = false;
};

// The sink of a mode for a layout (check_mode has seen that they fit).
Sink* open_sink(LoadMode mode, Layout layout, const SinkOptions& options);

// The sinks of the three modes (sink_*.cpp).
Sink* open_denormalized_sink(const SinkOptions& options);
Sink* open_batch_sink(const SinkOptions& options, bool normalized);
Sink* open_row_sink(const SinkOptions& options);

// A sink of class T made in the current memory context.
template <class T, class... Args>
T* make_sink(Args&&... args) {
  static_assert(std::is_trivially_destructible_v<T>,
                "a sink may be unwound past by an error");
  return new (palloc(sizeof(T))) T(std::forward<Args>(args)...);
}

}  // namespace tweet_loader
