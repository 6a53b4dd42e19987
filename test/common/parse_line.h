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
#include "tweet/v2_response.h"

namespace tweet_loader {
namespace test {

inline LineKind parse_line(std::string_view line, Tweet* out) {
  thread_local JsonTree tree;
  return parse_tweet(line, &tree, out);
}

// Every tweet of a line, as the load reads them: one, none, or those of a
// v2 response, mapped from it (direct) or read again from their flattened
// texts (*texts), as a denormalized load does. nlohmann: through nlohmann's
// parser alone. Throws LoadError, a response's tweet's named as the load
// names it.
inline std::vector<Tweet> tweets_of(std::string_view line,
                                    bool nlohmann = false,
                                    std::vector<std::string>* texts = nullptr,
                                    bool direct = false) {
  thread_local JsonTree tree;
  JsonTree* const t = nlohmann ? nullptr : &tree;
  std::vector<std::string> responses;
  std::vector<Tweet> out(1), mapped;
  const LineKind kind =
      nlohmann ? parse_tweet_with_nlohmann(line, &out[0], direct ? nullptr : &responses,
                                           direct ? &mapped : nullptr)
               : parse_tweet(line, t, &out[0], direct ? nullptr : &responses,
                             direct ? &mapped : nullptr);
  if (kind == LineKind::kNotTweet) return {};
  if (kind == LineKind::kTweet) return out;
  if (direct) return mapped;
  out.resize(responses.size());
  for (size_t i = 0; i < responses.size(); ++i) {
    try {
      parse_v2_tweet(responses[i], t, &out[i]);
    } catch (const LoadError& e) {
      fail_in_response(i, e);
    }
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
