// One tweet as row values: the mapping of a Twitter API v1.1 JSON object to
// the columns of the normalized layouts. Plain C++, no Postgres headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tweet_loader {

// A geometry in the form the layouts store it (SRID 0).
struct Geo {
  enum class Kind { kNone, kPoint, kMultiPolygon };
  Kind kind = Kind::kNone;
  double x = 0, y = 0;  // kPoint: POINT(x y) = geo.coordinates[0], [1]
  // kMultiPolygon: one polygon whose rings are closed (first point repeated).
  std::vector<std::vector<std::pair<double, double>>> rings;

  // OGC WKB, little endian, 2D. Empty for kNone.
  std::string to_wkb() const;
  // WKT, e.g. "POINT(1 2)"; empty for kNone. For tests and messages.
  std::string to_wkt() const;
};

// A users row. Full rows come from a tweet's author; partial rows (id,
// screen_name and, for mentions, name) from replied-to and mentioned users.
struct User {
  int64_t id = 0;
  bool full = false;
  std::optional<std::string> screen_name, name, location, description, url;
  std::optional<int64_t> created_at;  // Unix seconds
  std::optional<int32_t> friends_count, listed_count, favourites_count,
      statuses_count;
  std::optional<bool> is_protected, verified;
  std::optional<std::vector<std::string>> withheld_in_countries;
};

struct Media {
  std::string url;   // media_url
  std::string type;  // type
};

struct Tweet {
  int64_t id = 0;
  int64_t created_at = 0;  // Unix seconds
  std::optional<int64_t> in_reply_to_status_id, in_reply_to_user_id,
      quoted_status_id;
  std::optional<int16_t> retweet_count, favorite_count, quote_count;
  std::optional<bool> withheld_copyright;
  std::optional<std::vector<std::string>> withheld_in_countries;
  std::optional<std::string> source, text, country_code, state_code, lang,
      place_name;
  Geo geo;

  User author;                    // full
  std::vector<User> mentions;     // partial, in entity order (duplicates kept)
  std::optional<User> reply_to;   // partial: in_reply_to_user_id + screen_name
  std::vector<std::string> urls;  // expanded_url, entity order, duplicates kept
  std::vector<std::string> tags;  // '#'+hashtag then '$'+symbol, entity order
  std::vector<Media> media;
};

enum class LineKind { kTweet, kNotTweet };

// Parses one JSON line, which must be valid UTF-8 (LineReader checks it).
// Returns kNotTweet for blank lines and stream messages ({"limit":..},
// {"delete":..}, ...); otherwise fills *out. Throws LoadError (kBadInput,
// kOutOfRange or kTooDeep) with a message that names the field for a line
// that is not valid JSON, not an object, lacks id/user/created_at, has a
// field of the wrong type or a number that does not fit its column. Every
// string has U+0000 removed. Keeps its JsonTree between calls (one per
// thread); a load that must not hold on to its buffers afterwards calls
// parse_tweet_keeping_tree with a tree of its own.
LineKind parse_tweet(std::string_view line, Tweet* out);

class JsonTree;

// parse_tweet that leaves the line's JSON parsed in *tree, for writing it
// out as jsonb (denormalized loads): the tweet is read from that tree, so
// the line is parsed once. *tree holds the line's JSON only when the result
// is kTweet.
LineKind parse_tweet_keeping_tree(std::string_view line, JsonTree* tree,
                                  Tweet* out);

// parse_tweet with nlohmann's parser alone, without the JsonTree: the
// reference the tests and the fuzzer compare parse_tweet with, and what
// parse_tweet falls back to for lines the tree cannot hand on exactly.
LineKind parse_tweet_with_nlohmann(std::string_view line, Tweet* out);

// "Fri Jan 01 00:00:01 +0000 2021" -> Unix seconds. Throws LoadError.
int64_t parse_twitter_time(std::string_view text);

}  // namespace tweet_loader
