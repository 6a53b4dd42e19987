// Speed of the plain C++ layer alone on one file: reading and decompressing
// (stage 0), then also parsing and mapping every line (stage 1), then
// parsing, mapping and writing jsonb as a denormalized load does (stage 2).
//   make parse-speed FILE=/path/to/file.zip
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_tree.h"
#include "json/jsonb_encoder.h"
#include "read/line_reader.h"
#include "tweet/tweet.h"

using namespace tweet_loader;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  const char* const names[] = {"read and decompress", "read, parse and map",
                               "read, parse, map and write jsonb"};
  for (int stage = 0; stage <= 2; ++stage) {
    const auto start = std::chrono::steady_clock::now();
    LineReader reader(argv[1]);
    std::string_view line;
    Tweet tweet;
    JsonTree tree;
    JsonbEncoder encoder;
    std::string jsonb;
    std::vector<std::string> texts;
    std::vector<Tweet> mapped;
    size_t bytes = 0, tweets = 0;
    // As the load does: a v2 response's tweets mapped from it, or in stage
    // 2 read from their flattened texts and written as jsonb.
    while (reader.next(line)) {
      bytes += line.size();
      if (stage == 0) continue;
      const LineKind kind =
          parse_tweet(line, &tree, &tweet, stage == 2 ? &texts : nullptr,
                      stage == 1 ? &mapped : nullptr);
      if (kind == LineKind::kTweet) {
        if (stage == 2) encoder.encode(tree, &jsonb);
        ++tweets;
      } else if (kind == LineKind::kResponse && stage == 1) {
        tweets += mapped.size();
      } else if (kind == LineKind::kResponse) {
        for (const std::string& text : texts) {
          parse_v2_tweet(text, &tree, &tweet);
          encoder.encode(tree, &jsonb);
          ++tweets;
        }
      }
    }
    const double s = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    std::printf("%s: %.1f MB of JSON, %zu tweets, %.3f s, %.0f MB/s\n",
                names[stage],
                bytes / 1e6, tweets, s, bytes / 1e6 / s);
  }
  return 0;
}
