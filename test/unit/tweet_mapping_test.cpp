// Unit tests of the mapping rules: which lines are tweets, which field goes
// where, places, geometry, U+0000 and UTF-8 (parse_tweet).
#include <gtest/gtest.h>
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
// Line classification

TEST(ParseTweet, BlankLinesAreNotTweets) {
  Tweet t;
  EXPECT_EQ(test::parse_line("", &t), LineKind::kNotTweet);
  EXPECT_EQ(test::parse_line("   \t \r", &t), LineKind::kNotTweet);
}

TEST(ParseTweet, StreamMessagesAreNotTweets) {
  Tweet t;
  for (
      const char* line :
      {R"({"limit":{"track":13,"timestamp_ms":"1447202107771"}})",
       R"({"delete":{"status":{"id":1,"id_str":"1","user_id":3}}})",
       R"({"scrub_geo":{"user_id":1,"up_to_status_id":2}})",
       R"({"status_withheld":{"id":1,"user_id":2,"withheld_in_countries":["DE"]}})",
       R"({"user_withheld":{"id":1,"withheld_in_countries":["DE"]}})",
       R"({"disconnect":{"code":4,"stream_name":"x","reason":"y"}})",
       R"({"warning":{"code":"FALLING_BEHIND","message":"m","percent_full":60}})",
       R"({"event":"favorite","source":{},"target":{}})",
       R"({"friends":[1,2,3]})", R"({"friends_str":["1"]})",
       R"({"direct_message":{"text":"x"}})",
       R"({"control":{"control_uri":"/x"}})",
       R"({"for_user":1,"message":{}})"}) {
    EXPECT_EQ(test::parse_line(line, &t), LineKind::kNotTweet) << line;
  }
}

TEST(ParseTweet, StreamKeyWithTweetFieldIsATweet) {
  // "event" plus "id": must be a tweet, and so needs the other fields.
  expect_error(R"({"event":"x","id":1})", ErrorKind::kBadInput,
               "tweet has no \"user\"");
  Tweet t = parse(with(R"("limit":5)"));
  EXPECT_EQ(t.id, 1);
}

TEST(ParseTweet, ObjectWithoutStreamKeyIsABadTweet) {
  expect_error("{}", ErrorKind::kBadInput, "tweet has no \"id\"");
  expect_error(R"({"foo":1})", ErrorKind::kBadInput, "tweet has no \"id\"");
}

TEST(ParseTweet, Minimal) {
  Tweet t = parse(kMinimal);
  EXPECT_EQ(t.id, 1);
  EXPECT_EQ(t.created_at, 1609459201);
  EXPECT_EQ(t.author.id, 2);
  EXPECT_TRUE(t.author.full);
  EXPECT_FALSE(t.text);
  EXPECT_FALSE(t.reply_to);
  EXPECT_FALSE(t.country_code);
  EXPECT_EQ(t.geo.kind, Geo::Kind::kNone);
  EXPECT_TRUE(t.tags.empty() && t.urls.empty() && t.media.empty() &&
              t.mentions.empty());
}

// ---------------------------------------------------------------------------
// Text and entities

TEST(ParseTweet, PlainTextAndEntities) {
  Tweet t = parse(with(
      R"("text":"hello","entities":{"hashtags":[{"text":"a"},{"text":"b"},{"text":"a"}],)"
      R"("symbols":[{"text":"AAPL"}],"urls":[{"expanded_url":"http://x"},)"
      R"({"expanded_url":null},{"url":"t.co"},{"expanded_url":"http://x"}],)"
      R"("user_mentions":[{"id":7,"name":"N","screen_name":"sn"},{"id":8}]},)"
      R"("extended_entities":{"media":[{"media_url":"http://m","type":"photo"},)"
      R"({"media_url":"http://v","type":"video"}]})"));
  EXPECT_EQ(*t.text, "hello");
  EXPECT_EQ(t.tags, (std::vector<std::string>{"#a", "#b", "#a", "$AAPL"}));
  EXPECT_EQ(t.urls, (std::vector<std::string>{"http://x", "http://x"}));
  ASSERT_EQ(t.mentions.size(), 2u);
  EXPECT_EQ(t.mentions[0].id, 7);
  EXPECT_EQ(*t.mentions[0].name, "N");
  EXPECT_EQ(*t.mentions[0].screen_name, "sn");
  EXPECT_FALSE(t.mentions[0].full);
  EXPECT_EQ(t.mentions[1].id, 8);
  EXPECT_FALSE(t.mentions[1].name);
  ASSERT_EQ(t.media.size(), 2u);
  EXPECT_EQ(t.media[0].url, "http://m");
  EXPECT_EQ(t.media[0].type, "photo");
  EXPECT_EQ(t.media[1].type, "video");
}

TEST(ParseTweet, TagsKeepEntityOrderHashtagsFirst) {
  Tweet t = parse(with(R"("entities":{"symbols":[{"text":"X"},{"text":"Y"}],)"
                       R"("hashtags":[{"text":"z"},{"text":"z"}]})"));
  EXPECT_EQ(t.tags, (std::vector<std::string>{"#z", "#z", "$X", "$Y"}));
}

TEST(ParseTweet, ExtendedTweetWins) {
  Tweet t = parse(with(
      R"("text":"short…","entities":{"hashtags":[{"text":"top"}],)"
      R"("urls":[{"expanded_url":"http://top"}],"user_mentions":[{"id":1}]},)"
      R"("extended_entities":{"media":[{"media_url":"http://top","type":"photo"}]},)"
      R"("extended_tweet":{"full_text":"the full text","entities":{"hashtags":)"
      R"([{"text":"ext"}],"symbols":[{"text":"S"}],"urls":[{"expanded_url":"http://ext"}],)"
      R"("user_mentions":[{"id":9,"screen_name":"nine"}]},"extended_entities":{"media":)"
      R"([{"media_url":"http://ext","type":"animated_gif"}]}})"));
  EXPECT_EQ(*t.text, "the full text");
  EXPECT_EQ(t.tags, (std::vector<std::string>{"#ext", "$S"}));
  EXPECT_EQ(t.urls, std::vector<std::string>{"http://ext"});
  ASSERT_EQ(t.mentions.size(), 1u);
  EXPECT_EQ(t.mentions[0].id, 9);
  ASSERT_EQ(t.media.size(), 1u);
  EXPECT_EQ(t.media[0].url, "http://ext");
  EXPECT_EQ(t.media[0].type, "animated_gif");
}

// The REST API with tweet_mode=extended: the whole text in a top-level
// full_text, no text.
TEST(ParseTweet, TopLevelFullText) {
  Tweet t = parse(with(R"("full_text":"the whole text")"));
  EXPECT_EQ(*t.text, "the whole text");
  t = parse(with(R"("text":"short","full_text":"the whole text")"));
  EXPECT_EQ(*t.text, "the whole text");
  // null is absent, as for every field
  t = parse(with(R"("text":"short","full_text":null)"));
  EXPECT_EQ(*t.text, "short");
  // extended_tweet wins over it
  t = parse(with(R"("full_text":"top","extended_tweet":{"full_text":"ext"})"));
  EXPECT_EQ(*t.text, "ext");
  // both are checked when present
  expect_error(with(R"("full_text":7)"), ErrorKind::kBadInput,
               "field \"full_text\" must be a string, not a number");
  expect_error(with(R"("text":7,"full_text":"x")"), ErrorKind::kBadInput,
               "field \"text\" must be a string, not a number");
}

TEST(ParseTweet, ExtendedTweetWithoutPartsDoesNotFallBack) {
  Tweet t = parse(with(
      R"("text":"short","entities":{"hashtags":[{"text":"top"}]},)"
      R"("extended_entities":{"media":[{"media_url":"http://top","type":"photo"}]},)"
      R"("extended_tweet":{})"));
  EXPECT_FALSE(t.text);
  EXPECT_TRUE(t.tags.empty());
  EXPECT_TRUE(t.media.empty());
  // extended_tweet null is the same as absent: the top level is used.
  t = parse(with(R"("text":"short","entities":{"hashtags":[{"text":"top"}]},)"
                 R"("extended_tweet":null)"));
  EXPECT_EQ(*t.text, "short");
  EXPECT_EQ(t.tags, std::vector<std::string>{"#top"});
}

TEST(ParseTweet, OtherTweetColumns) {
  Tweet t = parse(with(
      R"("source":"<a href=\"x\">web</a>","lang":"en",)"
      R"("withheld_copyright":true,"withheld_in_countries":["DE","XY",""])"));
  EXPECT_EQ(*t.source, "<a href=\"x\">web</a>");
  EXPECT_EQ(*t.lang, "en");
  EXPECT_TRUE(*t.withheld_copyright);
  EXPECT_EQ(*t.withheld_in_countries,
            (std::vector<std::string>{"DE", "XY", ""}));
  expect_error(with(R"("withheld_in_countries":["DE","USA"])"),
               ErrorKind::kOutOfRange,
               "value \"USA\" of field \"withheld_in_countries[1]\" is too "
               "long for type "
               "character varying(2)");
  expect_error(
      with(R"("withheld_in_countries":[1])"), ErrorKind::kBadInput,
      "field \"withheld_in_countries[0]\" must be a string, not a number");
}

// ---------------------------------------------------------------------------
// Users

TEST(ParseTweet, Author) {
  Tweet t = parse(with(
      R"("user":{"id":194250838,"name":"El Santiaguino","screen_name":"Stgo_centro",)"
      R"("location":"CHILE","url":"http://u","description":"d","protected":false,)"
      R"("verified":true,"friends_count":990,"listed_count":4,"favourites_count":18465,)"
      R"("statuses_count":18033,"created_at":"Thu Sep 23 19:42:35 +0000 2010",)"
      R"("withheld_in_countries":["FR"],"followers_count":583})"));
  const User& u = t.author;
  EXPECT_TRUE(u.full);
  EXPECT_EQ(u.id, 194250838);
  EXPECT_EQ(*u.name, "El Santiaguino");
  EXPECT_EQ(*u.screen_name, "Stgo_centro");
  EXPECT_EQ(*u.location, "CHILE");
  EXPECT_EQ(*u.url, "http://u");
  EXPECT_EQ(*u.description, "d");
  EXPECT_FALSE(*u.is_protected);
  EXPECT_TRUE(*u.verified);
  EXPECT_EQ(*u.friends_count, 990);
  EXPECT_EQ(*u.listed_count, 4);
  EXPECT_EQ(*u.favourites_count, 18465);
  EXPECT_EQ(*u.statuses_count, 18033);
  EXPECT_EQ(*u.created_at, 1285270955);
  EXPECT_EQ(*u.withheld_in_countries, std::vector<std::string>{"FR"});
  expect_error(with(R"("user":{"id":2,"withheld_in_countries":["ABC"]})"),
               ErrorKind::kOutOfRange,
               "value \"ABC\" of field \"user.withheld_in_countries[0]\" is "
               "too long for "
               "type character varying(2)");
  expect_error(
      with(R"("user":{"id":2,"created_at":"yesterday"})"), ErrorKind::kBadInput,
      "value \"yesterday\" of field \"user.created_at\" is not a Twitter time");
}

TEST(ParseTweet, ReplyTo) {
  Tweet t = parse(with(R"("in_reply_to_status_id":5,"in_reply_to_user_id":6,)"
                       R"("in_reply_to_screen_name":"six")"));
  EXPECT_EQ(*t.in_reply_to_status_id, 5);
  EXPECT_EQ(*t.in_reply_to_user_id, 6);
  ASSERT_TRUE(t.reply_to);
  EXPECT_EQ(t.reply_to->id, 6);
  EXPECT_EQ(*t.reply_to->screen_name, "six");
  EXPECT_FALSE(t.reply_to->name);
  EXPECT_FALSE(t.reply_to->full);
  t = parse(with(R"("in_reply_to_user_id":6)"));
  ASSERT_TRUE(t.reply_to);
  EXPECT_FALSE(t.reply_to->screen_name);
  t = parse(with(R"("in_reply_to_screen_name":"six")"));
  EXPECT_FALSE(t.reply_to);
}

// ---------------------------------------------------------------------------
// Place and geo

TEST(ParseTweet, PlaceNullOrAbsent) {
  for (const std::string& line :
       {std::string(kMinimal), with(R"("place":null)")}) {
    Tweet t = parse(line);
    EXPECT_FALSE(t.country_code);
    EXPECT_FALSE(t.state_code);
    EXPECT_FALSE(t.place_name);
    EXPECT_EQ(t.geo.kind, Geo::Kind::kNone);
  }
}

TEST(ParseTweet, PlaceAndStateCode) {
  Tweet t =
      parse(with(R"("place":{"country_code":"US","full_name":"Austin, TX"})"));
  EXPECT_EQ(*t.country_code, "us");
  EXPECT_EQ(*t.place_name, "Austin, TX");
  EXPECT_EQ(*t.state_code, "tx");
  // Last part, trimmed of spaces.
  t = parse(with(R"("place":{"country_code":"US","full_name":"A, B,  Dc  "})"));
  EXPECT_EQ(*t.state_code, "dc");
  // Last part longer than 2 characters.
  t = parse(with(R"("place":{"country_code":"US","full_name":"Texas, USA"})"));
  EXPECT_FALSE(t.state_code);
  t = parse(with(R"("place":{"country_code":"US","full_name":"Texas"})"));
  EXPECT_FALSE(t.state_code);
  // No comma, short name: the whole name.
  t = parse(with(R"("place":{"country_code":"us","full_name":"NY"})"));
  EXPECT_EQ(*t.state_code, "ny");
  // Two characters, four bytes.
  t = parse(with(R"("place":{"country_code":"US","full_name":"X, Éé"})"));
  EXPECT_EQ(*t.state_code, "Éé");
  // Not us: no state code.
  t = parse(with(R"("place":{"country_code":"GB","full_name":"London, UK"})"));
  EXPECT_EQ(*t.country_code, "gb");
  EXPECT_FALSE(t.state_code);
  // No full_name.
  t = parse(with(R"("place":{"country_code":"US"})"));
  EXPECT_FALSE(t.state_code);
  EXPECT_FALSE(t.place_name);
  // Empty country code (Twitter sends it for some places).
  t = parse(with(R"("place":{"country_code":"","full_name":"Somewhere"})"));
  EXPECT_EQ(*t.country_code, "");
  expect_error(with(R"("place":{"country_code":"USA"})"),
               ErrorKind::kOutOfRange,
               "value \"usa\" of field \"place.country_code\" is too long for "
               "type character "
               "varying(2)");
}

TEST(ParseTweet, GeoPointInGivenOrder) {
  Tweet t = parse(with(
      R"("geo":{"type":"Point","coordinates":[40.5,-73]},)"
      R"("place":{"bounding_box":{"coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}})"));
  EXPECT_EQ(t.geo.kind, Geo::Kind::kPoint);
  EXPECT_EQ(t.geo.x, 40.5);
  EXPECT_EQ(t.geo.y, -73);
  EXPECT_EQ(test::wkt_of(t.geo), "POINT(40.5 -73)");
}

TEST(ParseTweet, BoundingBoxIsClosed) {
  Tweet t =
      parse(with(R"("geo":null,"place":{"bounding_box":{"type":"Polygon",)"
                 R"("coordinates":[[[-1.5,2],[3,2],[3,4.25],[-1.5,4.25]]]}})"));
  EXPECT_EQ(t.geo.kind, Geo::Kind::kMultiPolygon);
  EXPECT_EQ(test::wkt_of(t.geo),
            "MULTIPOLYGON(((-1.5 2,3 2,3 4.25,-1.5 4.25,-1.5 2)))");
  // Every ring gets its first point once more, as the assignment builds
  // it: a ring given closed too, and each of several rings.
  t = parse(with(R"("place":{"bounding_box":{"coordinates":)"
                 R"([[[0,0],[1,0],[1,1],[0,0]],[[5,5],[6,6],[7,5]]]}})"));
  EXPECT_EQ(test::wkt_of(t.geo),
            "MULTIPOLYGON(((0 0,1 0,1 1,0 0,0 0),(5 5,6 6,7 5,5 5)))");
  // A point-like box (a POI: 4 equal corners) gets a fifth.
  t = parse(with(
      R"("place":{"bounding_box":{"coordinates":[[[2,3],[2,3],[2,3],[2,3]]]}})"));
  EXPECT_EQ(test::wkt_of(t.geo), "MULTIPOLYGON(((2 3,2 3,2 3,2 3,2 3)))");
  // geo without coordinates falls back to the box; no box: nothing.
  t = parse(with(
      R"("geo":{},"place":{"bounding_box":{"coordinates":[[[0,0],[1,1],[1,0]]]}})"));
  EXPECT_EQ(test::wkt_of(t.geo), "MULTIPOLYGON(((0 0,1 1,1 0,0 0)))");
  t = parse(with(R"("place":{"bounding_box":null})"));
  EXPECT_EQ(t.geo.kind, Geo::Kind::kNone);
  EXPECT_EQ(test::wkt_of(t.geo), "");
  EXPECT_EQ(t.geo.to_wkb(), "");
}

// ---------------------------------------------------------------------------
// Strings

TEST(ParseTweet, NulCharactersAreRemovedEverywhere) {
  Tweet t = parse(with(
      R"("text":"a\u0000b\u0000","source":"\u0000s","lang":"e\u0000n",)"
      R"("user":{"id":2,"name":"\u0000N\u0000","screen_name":"s\u0000n",)"
      R"("description":"\u0000","location":"l\u0000","url":"u\u0000",)"
      R"("withheld_in_countries":["D\u0000E"]},)"
      R"("entities":{"hashtags":[{"text":"h\u0000t"}],"symbols":[{"text":"\u0000S"}],)"
      R"("urls":[{"expanded_url":"http://\u0000x"}],)"
      R"("user_mentions":[{"id":3,"name":"m\u0000","screen_name":"\u0000m"}]},)"
      R"("extended_entities":{"media":[{"media_url":"m\u0000u","type":"ph\u0000oto"}]},)"
      R"("in_reply_to_user_id":4,"in_reply_to_screen_name":"r\u0000",)"
      R"("withheld_in_countries":["X\u0000Y"],)"
      R"("place":{"country_code":"U\u0000S","full_name":"A\u0000, T\u0000X"})"));
  EXPECT_EQ(*t.text, "ab");
  EXPECT_EQ(*t.source, "s");
  EXPECT_EQ(*t.lang, "en");
  EXPECT_EQ(*t.author.name, "N");
  EXPECT_EQ(*t.author.screen_name, "sn");
  EXPECT_EQ(*t.author.description, "");
  EXPECT_EQ(*t.author.location, "l");
  EXPECT_EQ(*t.author.url, "u");
  EXPECT_EQ(*t.author.withheld_in_countries, std::vector<std::string>{"DE"});
  EXPECT_EQ(t.tags, (std::vector<std::string>{"#ht", "$S"}));
  EXPECT_EQ(t.urls, std::vector<std::string>{"http://x"});
  EXPECT_EQ(*t.mentions[0].name, "m");
  EXPECT_EQ(*t.mentions[0].screen_name, "m");
  EXPECT_EQ(t.media[0].url, "mu");
  EXPECT_EQ(t.media[0].type, "photo");
  EXPECT_EQ(*t.reply_to->screen_name, "r");
  EXPECT_EQ(*t.withheld_in_countries, std::vector<std::string>{"XY"});
  EXPECT_EQ(*t.country_code, "us");
  EXPECT_EQ(*t.place_name, "A, TX");
  EXPECT_EQ(*t.state_code, "tx");
  // In a time value too.
  t = parse(
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021\u0000","user":{"id":2}})");
  EXPECT_EQ(t.created_at, 1609459201);
}

TEST(ParseTweet, EscapedBackslashBeforeU0000IsText) {
  // JSON "a\\u0000b" is the 8 characters a \ u 0 0 0 0 b.
  Tweet t = parse(with(R"("text":"a\\u0000b")"));
  EXPECT_EQ(*t.text, "a\\u0000b");
}

TEST(ParseTweet, Utf8IsKeptExactly) {
  // 4-byte emoji as raw UTF-8 and as a surrogate pair escape, a ZWJ sequence,
  // escaped slashes.
  Tweet t = parse(
      with(R"("text":"😀 \ud83d\ude00 👩‍👩‍👧 http:\/\/x é")"));
  EXPECT_EQ(*t.text,
            "\xF0\x9F\x98\x80 \xF0\x9F\x98\x80 👩‍👩‍👧 http://x é");
  t = parse(with(R"("entities":{"hashtags":[{"text":"日本語"}]})"));
  EXPECT_EQ(t.tags, std::vector<std::string>{"#日本語"});
}

TEST(ParseTweet, ResetsTheTweet) {
  Tweet t;
  ASSERT_EQ(
      test::parse_line(with(R"("text":"x","entities":{"hashtags":[{"text":"h"}]},)"
                       R"("in_reply_to_user_id":3,"geo":{"coordinates":[1,2]},)"
                       R"("place":{"country_code":"US","full_name":"A, TX"})"),
                  &t),
      LineKind::kTweet);
  ASSERT_EQ(
      test::parse_line(
          R"({"id":5,"created_at":"Sat Jan 02 00:00:00 +0000 2021","user":{"id":6}})",
          &t),
      LineKind::kTweet);
  EXPECT_EQ(t.id, 5);
  EXPECT_FALSE(t.text);
  EXPECT_TRUE(t.tags.empty());
  EXPECT_FALSE(t.reply_to);
  EXPECT_FALSE(t.in_reply_to_user_id);
  EXPECT_EQ(t.geo.kind, Geo::Kind::kNone);
  EXPECT_FALSE(t.country_code);
  EXPECT_FALSE(t.state_code);
  ASSERT_EQ(test::parse_line(with(R"("text":"x")"), &t), LineKind::kTweet);
  ASSERT_EQ(test::parse_line(R"({"limit":{"track":1}})", &t), LineKind::kNotTweet);
  EXPECT_EQ(t.id, 0);
  EXPECT_FALSE(t.text);
}

}  // namespace
}  // namespace mapping_test
}  // namespace tweet_loader
