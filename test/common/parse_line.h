// How the tests read a line and show a geometry: parse_tweet with a tree of
// the test's own, and a Geo as WKT (e.g. "POINT(1 2)").
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "errors.h"

#include "json/json_tree.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace test {

inline LineKind parse_line(std::string_view line, Tweet* out) {
  thread_local JsonTree tree;
  return parse_tweet(line, &tree, out);
}

// Every tweet of a line, as the load reads them: one, none, or those of a
// v2 response, each read again from its flattened text. nlohmann: through
// parse_tweet_with_nlohmann alone. Throws LoadError.
inline std::vector<Tweet> tweets_of(std::string_view line,
                                    bool nlohmann = false,
                                    std::vector<std::string>* texts = nullptr) {
  thread_local JsonTree tree;
  std::vector<std::string> responses;
  std::vector<Tweet> out(1);
  const LineKind kind =
      nlohmann ? parse_tweet_with_nlohmann(line, &out[0], &responses)
               : parse_tweet(line, &tree, &out[0], &responses);
  if (kind == LineKind::kNotTweet) return {};
  if (kind == LineKind::kTweet) return out;
  out.resize(responses.size());
  for (size_t i = 0; i < responses.size(); ++i) {
    const LineKind k = nlohmann ? parse_tweet_with_nlohmann(responses[i], &out[i])
                                : parse_tweet(responses[i], &tree, &out[i]);
    if (k != LineKind::kTweet)
      throw LoadError(ErrorKind::kBadInput, "not a tweet");
  }
  if (texts != nullptr) *texts = std::move(responses);
  return out;
}

// Appends the shortest decimal text that reads back as exactly d.
inline void put_number(std::string* s, double d) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  s->append(buf, res.ptr);
}

inline std::string wkt_of(const Geo& g) {
  std::string s;
  switch (g.kind) {
    case Geo::Kind::kNone:
      break;
    case Geo::Kind::kPoint:
      s = "POINT(";
      put_number(&s, g.x);
      s += ' ';
      put_number(&s, g.y);
      s += ')';
      break;
    case Geo::Kind::kMultiPolygon:
      s = "MULTIPOLYGON((";
      for (size_t r = 0; r < g.rings.size(); ++r) {
        if (r > 0) s += ',';
        s += '(';
        for (size_t i = 0; i < g.rings[r].size(); ++i) {
          if (i > 0) s += ',';
          put_number(&s, g.rings[r][i].first);
          s += ' ';
          put_number(&s, g.rings[r][i].second);
        }
        s += ')';
      }
      s += "))";
      break;
  }
  return s;
}

}  // namespace test
}  // namespace tweet_loader
