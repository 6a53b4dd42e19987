// Speed of the plain C++ layer alone on one file: reading and decompressing
// (stage 0), then also parsing and mapping every line (stage 1).
//   make parse-speed FILE=/path/to/file.zip
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "line_reader.h"
#include "tweet.h"

using namespace tweet_loader;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  for (int stage = 0; stage <= 1; ++stage) {
    const auto start = std::chrono::steady_clock::now();
    LineReader reader(argv[1]);
    std::string_view line;
    Tweet tweet;
    size_t bytes = 0, tweets = 0;
    while (reader.next(line)) {
      bytes += line.size();
      if (stage == 1 && parse_tweet(line, &tweet) == LineKind::kTweet) ++tweets;
    }
    const double s = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    std::printf("%s: %.1f MB of JSON, %zu tweets, %.3f s, %.0f MB/s\n",
                stage == 0 ? "read and decompress" : "read, parse and map",
                bytes / 1e6, tweets, s, bytes / 1e6 / s);
  }
  return 0;
}
