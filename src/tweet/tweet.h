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

class JsonTree;

// Parses one JSON line, which must be valid UTF-8 (LineReader checks it),
// into *tree, and reads the tweet from it (the line is parsed once: a
// denormalized load writes the same tree as jsonb). Returns kNotTweet for
// blank lines and stream messages ({"limit":..}, {"delete":..}, ...);
// otherwise fills *out, and *tree holds the line's JSON. Throws LoadError
// (kBadInput, kOutOfRange or kTooDeep) with a message that names the field
// for a line that is not valid JSON, not an object, lacks
// id/user/created_at, has a field of the wrong type or a number that does
// not fit its column. Every string has U+0000 removed.
LineKind parse_tweet(std::string_view line, JsonTree* tree, Tweet* out);

// parse_tweet with nlohmann's parser alone, without the JsonTree: the
// reference the tests and the fuzzer compare parse_tweet with, and what
// parse_tweet falls back to for lines the tree cannot hand on exactly.
LineKind parse_tweet_with_nlohmann(std::string_view line, Tweet* out);

// "Fri Jan 01 00:00:01 +0000 2021" -> Unix seconds. Throws LoadError.
int64_t parse_twitter_time(std::string_view text);

}  // namespace tweet_loader
