// One tweet as row values: the mapping of a Twitter API v1.1 or v2 JSON
// object to the columns of the normalized layouts. Plain C++, no Postgres
// headers.
#pragma once

#include <cstddef>
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

// kResponse: an API v2 response (a twarc2 page or a stream line), whose
// tweets are given as flattened texts, each read again with parse_tweet.
enum class LineKind { kTweet, kNotTweet, kResponse };

// The longest line a v2 response may be (a twarc2 page of 100 tweets is
// about 0.4 MB; any line may be up to 1 GB).
constexpr size_t kMaxResponseBytes = 64 * 1024 * 1024;

class JsonTree;

// Parses one JSON line, which must be valid UTF-8 (LineReader checks it),
// into *tree, and reads the tweet from it (the line is parsed once: a
// denormalized load writes the same tree as jsonb). What the line is, told
// by content:
//  - a v1.1 tweet (it has "user"), or a v2 tweet, flattened by twarc2 or
//    by flatten_v2_response (no "user"; "author_id", "author",
//    "public_metrics", "conversation_id" or "edit_history_tweet_ids"):
//    kTweet, *out filled and *tree holding the line's JSON;
//  - a v2 response (no "id"; "data", "includes", "errors", "meta" or
//    "matching_rules"): with response_tweets, kResponse and its tweets
//    mapped into *response_tweets; else with responses, kResponse and its
//    tweets' flattened texts in *responses, each to be read again (the
//    same tweets; what the denormalized layout stores); with neither, it is
//    read as a tweet. kNotTweet for a response without tweets (an
//    errors-only page). A response longer than kMaxResponseBytes is an
//    error (kTooLarge); so is a tweet of it that cannot be read, named:
//    "tweet 3 of the v2 response: ...";
//  - a blank line, a v1.1 stream message ({"limit":..}, {"delete":..}):
//    kNotTweet.
// Throws LoadError (kBadInput, kOutOfRange or kTooDeep) with a message that
// names the field for a line that is not valid JSON, not an object, lacks
// id/user/created_at (v2: id/author_id/created_at), has a field of the
// wrong type or a number that does not fit its column. Every string has
// U+0000 removed.
LineKind parse_tweet(std::string_view line, JsonTree* tree, Tweet* out,
                     std::vector<std::string>* responses = nullptr,
                     std::vector<Tweet>* response_tweets = nullptr);

// parse_tweet with nlohmann's parser alone, without the JsonTree: the
// reference the tests and the fuzzer compare parse_tweet with, and what
// parse_tweet falls back to for lines the tree cannot hand on exactly.
LineKind parse_tweet_with_nlohmann(
    std::string_view line, Tweet* out,
    std::vector<std::string>* responses = nullptr,
    std::vector<Tweet>* response_tweets = nullptr);

// "Fri Jan 01 00:00:01 +0000 2021" -> Unix seconds. Throws LoadError.
int64_t parse_twitter_time(std::string_view text);
// One flattened text of a v2 response (parse_tweet's responses): read as
// a v2 tweet, whatever it holds, as the response's tweets are mapped
// directly. Through nlohmann's parser alone when tree is null. Throws
// LoadError.
void parse_v2_tweet(std::string_view text, JsonTree* tree, Tweet* out);

// "2021-04-08T19:34:16.000Z" (v2) -> Unix seconds, the fraction dropped.
// Throws LoadError.
int64_t parse_iso_time(std::string_view text);

}  // namespace tweet_loader
