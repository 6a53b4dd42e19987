// libFuzzer harness for parse_tweet (and its nlohmann-only reference), the
// jsonb encoder and strip_nul_escapes.
// LoadError is the expected answer to bad input; any other exception, a
// crash, a sanitizer report or a broken invariant (checked with abort) is a
// finding.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "../common/describe_tweet.h"
#include "../common/reference_utf8.h"
#include "../common/parse_line.h"
#include "errors.h"
#include "json/json_text.h"
#include "json/json_tree.h"
#include "json/jsonb_encoder.h"
#include "tweet/tweet.h"

namespace {

using tweet_loader::Geo;
using tweet_loader::LineKind;
using tweet_loader::LoadError;
using tweet_loader::Tweet;
using tweet_loader::User;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_string(const std::string& s) {
  check(std::memchr(s.data(), '\0', s.size()) == nullptr);
}

void check_string(const std::optional<std::string>& s) {
  if (s) check_string(*s);
}

void check_user(const User& u) {
  check_string(u.screen_name);
  check_string(u.name);
  check_string(u.location);
  check_string(u.description);
  check_string(u.url);
  if (u.withheld_in_countries)
    for (const auto& c : *u.withheld_in_countries) check_string(c);
}

// Every string of a parsed tweet is free of NUL; geometry output is sane.
void check_tweet(const Tweet& t) {
  check_user(t.author);
  // A partial author (a v2 author the response lacked) is its id alone.
  if (!t.author.full)
    check(!t.author.screen_name && !t.author.name && !t.author.created_at &&
          !t.author.friends_count && !t.author.verified);
  for (const auto& m : t.mentions) check_user(m);
  if (t.reply_to) check_user(*t.reply_to);
  for (const auto& s : t.urls) check_string(s);
  for (const auto& s : t.tags)
    check(!s.empty() && (s[0] == '#' || s[0] == '$'));
  for (const auto& m : t.media) {
    check_string(m.url);
    check_string(m.type);
  }
  check_string(t.source);
  check_string(t.text);
  check_string(t.lang);
  check_string(t.place_name);
  check_string(t.country_code);
  check_string(t.state_code);
  if (t.country_code) check(t.country_code->size() <= 8);
  if (t.state_code) check(*t.country_code == "us");
  const std::string wkb = t.geo.to_wkb();
  const std::string wkt = tweet_loader::test::wkt_of(t.geo);
  switch (t.geo.kind) {
    case Geo::Kind::kNone:
      check(wkb.empty() && wkt.empty());
      break;
    case Geo::Kind::kPoint:
      check(wkb.size() == 21 && wkt.rfind("POINT(", 0) == 0);
      break;
    case Geo::Kind::kMultiPolygon:
      check(!t.geo.rings.empty() && wkt.rfind("MULTIPOLYGON(((", 0) == 0);
      for (const auto& ring : t.geo.rings)
        check(ring.size() >= 1 && ring.front() == ring.back());
      break;
  }
}

// An error message is valid UTF-8 without NUL (PostgreSQL prints it).
void check_message(const char* m) {
  const auto* p = reinterpret_cast<const unsigned char*>(m);
  check(*p != 0 && *p >= 'A');  // not empty, starts with a letter
  while (*p != 0) {
    size_t n = *p < 0x80             ? 1
               : (*p & 0xE0) == 0xC0 ? 2
               : (*p & 0xF0) == 0xE0 ? 3
               : (*p & 0xF8) == 0xF0 ? 4
                                     : 0;
    check(n != 0 && (n != 2 || *p >= 0xC2));
    for (size_t k = 1; k < n; ++k) check((p[k] & 0xC0) == 0x80);
    p += n;
  }
}

}  // namespace

static tweet_loader::JsonTree tree;  // reused, as the loader does

// Of a line read as a tweet through the tree, the jsonb encoder writes a
// datum whose header gives its size, unless a number is one numeric
// refuses (as jsonb_in does).
static void check_jsonb() {
  static tweet_loader::JsonbEncoder encoder;
  static std::string jsonb;
  try {
    encoder.encode(tree, &jsonb);
  } catch (const LoadError& e) {
    check_message(e.what());
    const std::string_view m = e.what();
    check(m.rfind("invalid input syntax for type numeric", 0) == 0 ||
          m.rfind("value overflows numeric format", 0) == 0);
    return;
  }
  uint32_t header;
  check(jsonb.size() >= 8);
  std::memcpy(&header, jsonb.data(), sizeof header);
  check(header == static_cast<uint32_t>(jsonb.size()) << 2);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  // parse_tweet takes the UTF-8 lines LineReader passes on; nlohmann's
  // parser alone takes any bytes.
  const bool utf8 = tweet_loader::test::reference_utf8(line);
  static Tweet tweet;  // reused, as the loader does
  try {
    const LineKind kind = utf8 ? tweet_loader::test::parse_line(line, &tweet)
                               : tweet_loader::parse_tweet_with_nlohmann(line, &tweet);
    if (kind == LineKind::kTweet) check_tweet(tweet);
  } catch (const LoadError& e) {
    check_message(e.what());
  }
  // Through the tree a line gives what nlohmann's parser alone gives; and
  // the tree of a tweet can be written as jsonb.
  if (utf8) {
    // A v2 response's tweets read from their flattened texts (what a
    // denormalized load does) are the tweets mapped from it directly.
    const std::string reference = tweet_loader::test::outcome(line, true);
    const std::string via_tree = tweet_loader::test::outcome(line, false);
    check(via_tree == reference);
    check(tweet_loader::test::outcome(line, false, /*direct=*/true) == via_tree);
    check(tweet_loader::test::outcome(line, true, /*direct=*/true) == reference);
    // The tree of a line that is one tweet (not a response's).
    Tweet one;
    std::vector<std::string> texts;
    if (via_tree.rfind("tweet ", 0) == 0 &&
        tweet_loader::parse_tweet(line, &tree, &one, &texts) == LineKind::kTweet)
      check_jsonb();
  }
  std::string out;
  tweet_loader::strip_nul_escapes(line, &out);
  check(out.size() <= size);
  return 0;
}
