// parse_tweet (the line parsed into a JsonTree, read through TreeView)
// must give exactly what nlohmann's parser alone gives: the same tweet, or
// the same error, for every line LineReader passes on (valid UTF-8).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "../common/describe_tweet.h"
#include "../common/reference_utf8.h"
#include "errors.h"
#include "json/json_tree.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
  if (f == nullptr) return lines;
  std::string line;
  char buf[65536];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) {
    for (int i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        lines.push_back(line);
        line.clear();
      } else {
        line.push_back(buf[i]);
      }
    }
  }
  gzclose(f);
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void expect_same(std::string_view line) {
  if (!test::reference_utf8(line)) return;  // LineReader refuses the line
  const std::string reference = test::outcome(line, /*nlohmann=*/true);
  EXPECT_EQ(test::outcome(line, false), reference)
      << "line: " << line.substr(0, 200);
}

// Every line of the files gives the same outcome on both routes; returns
// how many lines there were.
size_t expect_same_in(std::initializer_list<const char*> paths) {
  size_t lines = 0;
  for (const char* path : paths) {
    for (const std::string& line : read_lines(path)) {
      expect_same(line);
      ++lines;
    }
  }
  return lines;
}

TEST(ParseRoutes, RealFiles) {
  if (access("../shared/realdata", R_OK) != 0)
    GTEST_SKIP() << "no ../shared/realdata beside the project";
  EXPECT_EQ(expect_same_in(
                {"../shared/realdata/tweetio-stream-2019-09-28.jsonl.gz",
                 "../shared/realdata/tweet-parser-examples-2017.jsonl",
                 "../shared/realdata/insight-geo-stream-2015-11-11.jsonl.gz"}),
            989u);
}

TEST(ParseRoutes, SampleFiles) {
  // 600 sample lines and the hand-made cases.
  EXPECT_GT(expect_same_in({"data/sample-02.jsonl.gz", "data/sample-03.jsonl",
                            "test/data/cases/mapping.jsonl"}),
            600u);
}

TEST(ParseRoutes, SkippedMembersAreStillValidated) {
  const std::string head =
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2,"x":)";
  for (const char* bad :
       {"tru", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "\"\\x\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud800\\u0041\"", "1e400",
        "\"a\tb\"", "\"\xff\"", "\"\xed\xa0\x80\"", "{\"a\":1,}", "[1 2]"}) {
    expect_same(head + bad + "}}");
    expect_same(R"({"id":1,"retweeted_status":)" + std::string(bad) + "}");
  }
  for (const char* good :
       {"true", "[1,[2,{}]]", "{\"a\":-0.5e+3}", "\"\\ud83d\\ude00\\n\"",
        "\"\xf0\x9f\x98\x80\"", "123456789012345678901234567890", "null"}) {
    expect_same(head + good + "},\"retweeted_status\":" + good + "}");
  }
}

TEST(ParseRoutes, DepthEscapedKeysAndDuplicates) {
  const std::string tweet =
      R"("id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2})";
  expect_same("{" + tweet + ",\"extra\":" + std::string(199, '[') +
              std::string(199, ']') + "}");
  expect_same("{" + tweet + ",\"extra\":" + std::string(200, '[') +
              std::string(200, ']') + "}");
  expect_same("{" + tweet + ",\"te\\u0078t\":\"escaped key\"}");
  expect_same("{" + tweet + ",\"text\":\"first\",\"text\":\"second\"}");
  expect_same("{" + tweet + ",\"user\":{\"id\":3,\"name\":\"again\"}}");
  expect_same("{" + tweet + "} trailing");
  expect_same("{" + tweet + ",\"user\":[1]}");
  expect_same("  {" + tweet + "}  ");
  // nlohmann alone would skip a byte order mark: both routes refuse it.
  expect_same("\xEF\xBB\xBF{" + tweet + "}");
  expect_same("\xEF\xBB\xBF");
  expect_same("{\"limit\":{\"track\":1}}");
  // What the tree cannot hand on as it is: \u0000 in a key, a number
  // beyond a double, a root that is not an object.
  expect_same("{" + tweet + ",\"te\\u0000xt\":\"nul key\",\"text\":\"a\\u0000b\"}");
  expect_same("{" + tweet + ",\"text\":\"kept\",\"text\\u0000\":\"not text\"}");
  expect_same("{" + tweet + ",\"i\\u0000d\":7}");
  expect_same("{" + tweet + ",\"\\u0000\":1,\"\":2}");
  expect_same("{" + tweet + ",\"user\":{\"id\":2,\"name\":\"x\\u0000\"}}");
  expect_same("{" + tweet + ",\"retweet_count\":1e400}");
  expect_same("{" + tweet + ",\"extra\":-1e400}");
  expect_same("[" + tweet + "]");
  expect_same("");
  expect_same("{" + tweet + ",\"id\":18446744073709551616}");
  expect_same("{" + tweet + ",\"id\":-9223372036854775809}");
  expect_same("{" + tweet + ",\"retweet_count\":-0,\"favorite_count\":2.0}");
}

// \u0000 in strings: the tree drops it, as the mapping drops it from
// nlohmann's strings, so such lines stay on the tree; only a key that held
// one (it may now equal another key) sends the line to nlohmann.
TEST(ParseRoutes, NulEscapesInStringsStayOnTheTree) {
  const std::string strings =
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021\u0000",)"
      R"("text":"a\u0000b\u0000","source":"\u0000s","lang":"e\u0000n",)"
      R"("user":{"id":2,"name":"\u0000N\u0000","url":"u\u0000",)"
      R"("withheld_in_countries":["D\u0000E"]},)"
      R"("entities":{"hashtags":[{"text":"h\u0000t"}],"urls":[{"expanded_url":"\u0000"}],)"
      R"("user_mentions":[{"id":3,"screen_name":"\u0000m"}]},)"
      R"("extended_entities":{"media":[{"media_url":"m\u0000u","type":"ph\u0000oto"}]},)"
      R"("place":{"country_code":"U\u0000S","full_name":"A\u0000, T\u0000X"}})";
  JsonTree tree;
  ASSERT_TRUE(tree.parse(strings));
  EXPECT_FALSE(tree.key_lost_nul());
  expect_same(strings);
  const std::string tweet =
      R"("id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2})";
  for (const char* member :
       {R"("id":"1\u0000")", R"("created_at":"Fri\u0000")",
        R"("user":{"id":2,"name":["\u0000"]})", R"("lang":"\u0000")",
        R"("place":{"country_code":"\u0000USA"})",
        R"("entities":{"hashtags":[{"text":"\u0000"}]})"}) {
    const std::string line = "{" + tweet + "," + member + "}";
    ASSERT_TRUE(tree.parse(line));
    EXPECT_FALSE(tree.key_lost_nul()) << line;
    expect_same(line);
  }
  ASSERT_TRUE(tree.parse(R"({"a":{"b\u0000":1}})"));
  EXPECT_TRUE(tree.key_lost_nul());
  ASSERT_TRUE(tree.parse(R"({"a":"\u0000"})"));
  EXPECT_FALSE(tree.key_lost_nul());
}

// Strings are scanned eight bytes at a time: every kind of byte that ends
// a plain run, at every offset within and across those blocks.
TEST(ParseRoutes, StringBytesAtEveryOffset) {
  const std::string head =
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2},"text":")";
  for (const char* special :
       {"\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\u0000", "\x01",
        "\x1f", "\t", "\x7f", "\xc3\xa9", "\xe2\x80\xa6", " ", "\\", "\""}) {
    for (size_t before = 0; before <= 17; ++before) {
      for (size_t after : {0, 1, 7, 8, 9}) {
        const std::string text =
            std::string(before, 'a') + special + std::string(after, 'b');
        expect_same(head + text + "\"}");
        expect_same(head + text + "\\/" + text + "\"}");
      }
    }
  }
}

TEST(ParseRoutes, NumbersAreClassifiedAsNlohmannDoes) {
  const std::string time = R"("created_at":"Fri Jan 01 00:00:01 +0000 2021")";
  for (const char* n :
       {"0", "-0", "1", "-1", "32767", "32768", "-32768", "-32769",
        "2147483648", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616",
        "99999999999999999999999", "-99999999999999999999", "1.0", "-0.0",
        "1e2", "1E2", "-1.5e-3", "2.5E+10", "1e308", "-1e-400",
        "123456789012345678901234567890.5"}) {
    const std::string v(n);
    expect_same("{\"id\":" + v + "," + time + ",\"user\":{\"id\":2}}");
    expect_same("{\"id\":1," + time + ",\"user\":{\"id\":2,\"friends_count\":" +
                v + "},\"retweet_count\":" + v + ",\"in_reply_to_user_id\":" +
                v + "}");
    expect_same("{\"id\":1," + time + ",\"user\":{\"id\":2},\"geo\":" +
                "{\"coordinates\":[" + v + "," + v + "]}}");
  }
}

TEST(ParseRoutes, MemberLookupAndStreamMessages) {
  const std::string tweet =
      R"("id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2})";
  // Keys around the ones read: same length, other bytes, non-ASCII, empty.
  expect_same("{" + tweet + R"(,"":1,"a":2,"iz":3,"ic":4,"lanf":5,"lang":"en",)"
              R"("langue":6,"é":7,"sourceé":8,"sourcf":9})");
  expect_same("{" + tweet + R"(,"lang":"en","lang":null})");
  expect_same(R"({"delete":{"status":{"id":1}}})");
  expect_same(R"({"delete":{},"user":null})");
  expect_same(R"({"limit":{"track":5},"created_at":"x"})");
  expect_same(R"({"scrub_geo":1,"for_user":2,"event":3})");
  expect_same(R"({"deleted":{}})");
  expect_same("{}");
}

}  // namespace
}  // namespace tweet_loader
