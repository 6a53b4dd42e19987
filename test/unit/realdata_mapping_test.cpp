// The mapping on the real files of ../shared/realdata (skipped without them).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../common/parse_line.h"
#include "errors.h"
#include "tweet/tweet.h"
#include "mapping_test_util.h"

namespace tweet_loader {
namespace mapping_test {
namespace {

// ---------------------------------------------------------------------------
// Real files

// Calls f(line) for every line of a plain or gzip file (zlib reads both).
template <class F>
void for_each_line(const std::string& path, F f) {
  gzFile in = gzopen(path.c_str(), "rb");
  ASSERT_NE(in, nullptr) << path;
  std::string buffer, line;
  char chunk[1 << 16];
  int n;
  while ((n = gzread(in, chunk, sizeof chunk)) > 0) {
    buffer.append(chunk, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = buffer.find('\n', start)) != std::string::npos) {
      line.assign(buffer, start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      f(line);
      start = nl + 1;
    }
    buffer.erase(0, start);
  }
  ASSERT_EQ(n, 0) << path;
  if (!buffer.empty()) f(buffer);
  gzclose(in);
}

// The real files live beside the project, not in it: a plain clone has none.
bool have_realdata() { return access("../shared/realdata", R_OK) == 0; }

TEST(RealData, AllThreeFiles) {
  if (!have_realdata()) GTEST_SKIP() << "no ../shared/realdata beside the project";
  const std::string dir = "../shared/realdata/";
  std::set<int64_t> ids;
  Tweet t;
  size_t not_tweets_geo = 0, lines = 0, points = 0, polygons = 0, extended = 0;
  for (const char* name : {"tweetio-stream-2019-09-28.jsonl.gz",
                           "tweet-parser-examples-2017.jsonl",
                           "insight-geo-stream-2015-11-11.jsonl.gz"}) {
    const std::string file = name;
    for_each_line(dir + file, [&](const std::string& line) {
      ++lines;
      LineKind kind = LineKind::kNotTweet;
      try {
        kind = test::parse_line(line, &t);
      } catch (const LoadError& e) {
        ADD_FAILURE() << file << ": " << e.what() << "\n"
                      << line.substr(0, 300);
        return;
      }
      if (kind == LineKind::kTweet) {
        ids.insert(t.id);
        EXPECT_GT(t.author.id, 0);
        EXPECT_GT(t.created_at, 1100000000);
        EXPECT_TRUE(t.text);
        points += t.geo.kind == Geo::Kind::kPoint;
        polygons += t.geo.kind == Geo::Kind::kMultiPolygon;
        for (const auto& ring : t.geo.rings)
          EXPECT_EQ(ring.front(), ring.back());
      } else if (file.rfind("insight", 0) == 0) {
        ++not_tweets_geo;
      }
      extended += line.find("\"extended_tweet\"") != std::string::npos;
    });
  }
  EXPECT_EQ(lines, 681u + 25u + 283u);
  EXPECT_EQ(ids.size(), 969u);
  EXPECT_EQ(not_tweets_geo, 20u);
  EXPECT_GE(points, 42u);
  EXPECT_GT(polygons, 500u);
}

TEST(RealData, KnownTweet) {
  if (!have_realdata()) GTEST_SKIP() << "no ../shared/realdata beside the project";
  Tweet t;
  bool found = false;
  for_each_line("../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz",
                [&](const std::string& line) {
                  if (found || test::parse_line(line, &t) != LineKind::kTweet ||
                      t.id != 1178007813257388032)
                    return;
                  found = true;
                  EXPECT_EQ(t.created_at, 1569693923);
                  EXPECT_EQ(t.author.id, 194250838);
                  EXPECT_EQ(*t.author.screen_name, "Stgo_centro");
                  EXPECT_FALSE(t.author.url);
                  EXPECT_EQ(*t.author.created_at, 1285270955);
                  EXPECT_EQ(*t.source,
                            "<a href=\"http://twitter.com/download/android\" "
                            "rel=\"nofollow\">Twitter for Android</a>");
                  EXPECT_EQ(t.text->rfind("RT @jg_valdes: Me dicen", 0), 0u);
                  ASSERT_EQ(t.mentions.size(), 1u);
                  EXPECT_EQ(*t.mentions[0].screen_name, "jg_valdes");
                  EXPECT_EQ(t.mentions[0].id, 340309688);
                  EXPECT_FALSE(t.country_code);
                });
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace mapping_test
}  // namespace tweet_loader
