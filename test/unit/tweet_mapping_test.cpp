// Tests of parse_tweet, parse_twitter_time and Geo (src/tweet_mapping.cpp,
// src/twitter_time.cpp, src/geo.cpp).
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

namespace tweet_loader {
namespace {

// The smallest tweet: id, created_at and user.id.
const char kMinimal[] =
    R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2}})";

// kMinimal with extra top-level members, e.g. with(R"("text":"hi")").
std::string with(const std::string& members) {
  std::string s = kMinimal;
  s.pop_back();
  return s + "," + members + "}";
}

Tweet parse(const std::string& line) {
  Tweet t;
  EXPECT_EQ(test::parse_line(line, &t), LineKind::kTweet) << line;
  return t;
}

// Expects test::parse_line(line) to throw LoadError(kind) with exactly `message`.
void expect_error(const std::string& line, ErrorKind kind,
                  const std::string& message) {
  Tweet t;
  try {
    test::parse_line(line, &t);
    ADD_FAILURE() << "no error for " << line.substr(0, 200);
  } catch (const LoadError& e) {
    EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

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
// Errors

TEST(ParseTweet, InvalidJson) {
  expect_error(
      "{\"id\":", ErrorKind::kBadInput,
      "invalid JSON: parse error at column 7: syntax error while "
      "parsing "
      "value - unexpected end of input; expected '[', '{', or a literal");
  expect_error("nope", ErrorKind::kBadInput,
               "invalid JSON: parse error at column 2: syntax error "
               "while parsing "
               "value - invalid literal; last read: 'no'");
  // Trailing garbage after the object.
  Tweet t;
  EXPECT_THROW(test::parse_line(std::string(kMinimal) + " x", &t), LoadError);
}

TEST(ParseTweet, ByteOrderMarkStartingALine) {
  expect_error(std::string("\xEF\xBB\xBF") + kMinimal, ErrorKind::kBadInput,
               "invalid JSON: a byte order mark (U+FEFF) starts the line "
               "(only the start of a file or zip member may have one)");
}

TEST(ParseTweet, InvalidJsonMessageIsValidText) {
  // nlohmann reports the first byte of "é" alone: it becomes '?'.
  expect_error("{\"a\":\xC3\xA9}", ErrorKind::kBadInput,
               "invalid JSON: parse error at column 6: syntax error "
               "while parsing "
               "value - invalid literal; last read: '\"a\":?'");
}

TEST(ParseTweet, NotAnObject) {
  for (const char* line :
       {"[]", "[1,{\"id\":1}]", "1", "\"x\"", "null", "true"})
    expect_error(line, ErrorKind::kBadInput, "JSON value is not an object");
}

TEST(ParseTweet, MissingRequiredFields) {
  expect_error(
      R"({"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2}})",
      ErrorKind::kBadInput, "tweet has no \"id\"");
  expect_error(R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021"})",
               ErrorKind::kBadInput, "tweet has no \"user\"");
  expect_error(R"({"id":1,"user":{"id":2}})", ErrorKind::kBadInput,
               "tweet has no \"created_at\"");
  expect_error(
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{}})",
      ErrorKind::kBadInput, "tweet has no \"user.id\"");
}

TEST(ParseTweet, IdMustBeAnInt64) {
  const std::string rest =
      R"(,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":2}})";
  expect_error(R"({"id":"1")" + rest, ErrorKind::kBadInput,
               "field \"id\" must be an integer, not a string");
  expect_error(R"({"id":1.5)" + rest, ErrorKind::kBadInput,
               "field \"id\" must be an integer, not a float");
  expect_error(R"({"id":1e3)" + rest, ErrorKind::kBadInput,
               "field \"id\" must be an integer, not a float");
  expect_error(R"({"id":null)" + rest, ErrorKind::kBadInput,
               "field \"id\" must be an integer, not null");
  expect_error(R"({"id":9223372036854775808)" + rest, ErrorKind::kOutOfRange,
               "value 9223372036854775808 of field \"id\" is out of range for "
               "type bigint");
  expect_error(R"({"id":123456789012345678901234567890)" + rest,
               ErrorKind::kOutOfRange,
               "value 123456789012345678901234567890 of field \"id\" is out of "
               "range for "
               "type bigint");
  expect_error(R"({"id":-9223372036854775809)" + rest, ErrorKind::kOutOfRange,
               "value -9223372036854775809 of field \"id\" is out of range for "
               "type bigint");
  EXPECT_EQ(parse(R"({"id":9223372036854775807)" + rest).id, INT64_MAX);
  EXPECT_EQ(parse(R"({"id":-9223372036854775808)" + rest).id, INT64_MIN);
}

TEST(ParseTweet, WrongTypes) {
  expect_error(
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":{"id":"2"}})",
      ErrorKind::kBadInput,
      "field \"user.id\" must be an integer, not a string");
  expect_error(
      R"({"id":1,"created_at":"Fri Jan 01 00:00:01 +0000 2021","user":[]})",
      ErrorKind::kBadInput, "field \"user\" must be an object, not an array");
  expect_error(R"({"id":1,"created_at":5,"user":{"id":2}})",
               ErrorKind::kBadInput,
               "field \"created_at\" must be a string, not a number");
  expect_error(with(R"("entities":[])"), ErrorKind::kBadInput,
               "field \"entities\" must be an object, not an array");
  expect_error(with(R"("entities":{"hashtags":{}})"), ErrorKind::kBadInput,
               "field \"entities.hashtags\" must be an array, not an object");
  expect_error(
      with(R"("entities":{"hashtags":[{"text":"a"},{"text":7}]})"),
      ErrorKind::kBadInput,
      "field \"entities.hashtags[1].text\" must be a string, not a number");
  expect_error(
      with(R"("entities":{"hashtags":["a"]})"), ErrorKind::kBadInput,
      "field \"entities.hashtags[0]\" must be an object, not a string");
  expect_error(with(R"("entities":{"hashtags":[{}]})"), ErrorKind::kBadInput,
               "tweet has no \"entities.hashtags[0].text\"");
  expect_error(
      with(R"("extended_tweet":{"entities":{"user_mentions":[{"id":"3"}]}})"),
      ErrorKind::kBadInput,
      "field \"extended_tweet.entities.user_mentions[0].id\" must be an "
      "integer, "
      "not a string");
  expect_error(with(R"("text":true)"), ErrorKind::kBadInput,
               "field \"text\" must be a string, not a boolean");
  expect_error(with(R"("extended_tweet":"x")"), ErrorKind::kBadInput,
               "field \"extended_tweet\" must be an object, not a string");
  expect_error(with(R"("withheld_copyright":"true")"), ErrorKind::kBadInput,
               "field \"withheld_copyright\" must be a boolean, not a string");
  expect_error(with(R"("place":"Paris")"), ErrorKind::kBadInput,
               "field \"place\" must be an object, not a string");
  expect_error(with(R"("geo":{"coordinates":[1]})"), ErrorKind::kBadInput,
               "field \"geo.coordinates\" must be an array of 2 numbers");
  expect_error(with(R"("geo":{"coordinates":[1,"2"]})"), ErrorKind::kBadInput,
               "field \"geo.coordinates[1]\" must be a number, not a string");
  expect_error(
      with(R"("place":{"bounding_box":{"coordinates":[[[1,2],[3],[4,5]]]}})"),
      ErrorKind::kBadInput,
      "field \"place.bounding_box.coordinates[0][1]\" must be an array of 2 "
      "numbers");
  expect_error(with(R"("place":{"bounding_box":{"coordinates":[]}})"),
               ErrorKind::kBadInput,
               "field \"place.bounding_box.coordinates\" must be a non-empty "
               "array of rings");
  // A ring PostGIS would refuse (fewer than 4 points once closed) is a bad
  // line, not an error of the whole load.
  for (const char* ring : {"[]", "[[0,0]]", "[[0,0],[1,1]]"})
    expect_error(with(std::string(R"("place":{"bounding_box":{"coordinates":[)") +
                      ring + "]}}"),
                 ErrorKind::kBadInput,
                 "field \"place.bounding_box.coordinates[0]\" must be an "
                 "array of at least 3 points");
  expect_error(with(R"("extended_entities":{"media":[{"type":"photo"}]})"),
               ErrorKind::kBadInput,
               "tweet has no \"extended_entities.media[0].media_url\"");
  expect_error(with(R"("user":{"id":2,"protected":0})"), ErrorKind::kBadInput,
               "field \"user.protected\" must be a boolean, not a number");
}

TEST(ParseTweet, NullOptionalFieldsAreAbsent) {
  Tweet t = parse(with(
      R"("text":null,"entities":null,"extended_tweet":null,"place":null,"geo":null,)"
      R"("lang":null,"source":null,"retweet_count":null,"in_reply_to_user_id":null,)"
      R"("withheld_in_countries":null,"withheld_copyright":null,"quoted_status_id":null)"));
  EXPECT_FALSE(t.text);
  EXPECT_FALSE(t.lang);
  EXPECT_FALSE(t.source);
  EXPECT_FALSE(t.retweet_count);
  EXPECT_FALSE(t.withheld_in_countries);
  EXPECT_FALSE(t.withheld_copyright);
  EXPECT_FALSE(t.quoted_status_id);
  EXPECT_FALSE(t.reply_to);
  EXPECT_FALSE(t.place_name);
}

TEST(ParseTweet, Int16Columns) {
  Tweet t = parse(
      with(R"("retweet_count":32767,"favorite_count":-32768,"quote_count":0)"));
  EXPECT_EQ(*t.retweet_count, 32767);
  EXPECT_EQ(*t.favorite_count, -32768);
  EXPECT_EQ(*t.quote_count, 0);
  expect_error(with(R"("retweet_count":40000)"), ErrorKind::kOutOfRange,
               "value 40000 of field \"retweet_count\" is out of range for "
               "type smallint");
  expect_error(with(R"("favorite_count":-32769)"), ErrorKind::kOutOfRange,
               "value -32769 of field \"favorite_count\" is out of range for "
               "type smallint");
  expect_error(with(R"("quote_count":99999999999999999999)"),
               ErrorKind::kOutOfRange,
               "value 99999999999999999999 of field \"quote_count\" is out of "
               "range for type "
               "smallint");
  expect_error(with(R"("quote_count":1.0)"), ErrorKind::kBadInput,
               "field \"quote_count\" must be an integer, not a float");
}

TEST(ParseTweet, Int32Columns) {
  Tweet t = parse(
      with(R"("user":{"id":2,"friends_count":2147483647,"listed_count":0,)"
           R"("favourites_count":-2147483648,"statuses_count":7})"));
  EXPECT_EQ(*t.author.friends_count, 2147483647);
  EXPECT_EQ(*t.author.listed_count, 0);
  EXPECT_EQ(*t.author.favourites_count, INT32_MIN);
  EXPECT_EQ(*t.author.statuses_count, 7);
  expect_error(with(R"("user":{"id":2,"friends_count":2147483648})"),
               ErrorKind::kOutOfRange,
               "value 2147483648 of field \"user.friends_count\" is out of "
               "range for type "
               "integer");
  expect_error(with(R"("user":{"id":2,"statuses_count":-2147483649})"),
               ErrorKind::kOutOfRange,
               "value -2147483649 of field \"user.statuses_count\" is out of "
               "range for type "
               "integer");
}

TEST(ParseTweet, Int64Columns) {
  Tweet t = parse(with(R"("in_reply_to_status_id":1178007813257388032,)"
                       R"("quoted_status_id":1177991791246753792)"));
  EXPECT_EQ(*t.in_reply_to_status_id, 1178007813257388032);
  EXPECT_EQ(*t.quoted_status_id, 1177991791246753792);
  expect_error(with(R"("quoted_status_id":18446744073709551615)"),
               ErrorKind::kOutOfRange,
               "value 18446744073709551615 of field \"quoted_status_id\" is "
               "out of range for "
               "type bigint");
  expect_error(
      with(R"("in_reply_to_status_id":"5")"), ErrorKind::kBadInput,
      "field \"in_reply_to_status_id\" must be an integer, not a string");
}

TEST(ParseTweet, UnreadMembersAreNotChecked) {
  // Members the mapping does not read may hold anything (but valid JSON).
  Tweet t = parse(
      with(R"("retweeted_status":{"id":"x","user":[]},"coordinates":"x",)"
           R"("user":{"id":2,"followers_count":"many","profile_image_url":7,)"
           R"("entities":[1],"name":"n"},"truncated":"yes")"));
  EXPECT_EQ(*t.author.name, "n");
  expect_error(with(R"("retweeted_status":{"id":)"), ErrorKind::kBadInput,
               "invalid JSON: parse error at column 96: syntax error "
               "while parsing "
               "value - unexpected '}'; expected '[', '{', or a literal");
}

TEST(ParseTweet, LastDuplicateKeyWins) {
  Tweet t = parse(with(R"("text":"a","text":"b")"));
  EXPECT_EQ(*t.text, "b");
}

// ---------------------------------------------------------------------------
// Depth and size

TEST(ParseTweet, DeepNestingIsRejected) {
  Tweet t;
  const std::string deep(100000, '[');
  try {
    test::parse_line(deep, &t);
    FAIL() << "no error";
  } catch (const LoadError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTooDeep);
    EXPECT_EQ(std::string(e.what()),
              "JSON value is nested deeper than 200 levels");
  }
  // Deep inside a tweet member, even one the mapping does not read.
  std::string nested = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THROW(test::parse_line(with("\"text\":" + nested), &t), LoadError);
  EXPECT_THROW(test::parse_line(with("\"retweeted_status\":" + nested), &t),
               LoadError);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_THROW(test::parse_line(objects, &t), LoadError);
}

TEST(ParseTweet, DepthLimitIs200) {
  // The root object is level 1: 199 arrays inside it are accepted.
  const std::string ok = std::string(199, '[') + std::string(199, ']');
  EXPECT_EQ(parse(with("\"x\":" + ok)).id, 1);
  const std::string too_deep = std::string(200, '[') + std::string(200, ']');
  expect_error(with("\"x\":" + too_deep), ErrorKind::kTooDeep,
               "JSON value is nested deeper than 200 levels");
}

TEST(ParseTweet, HugeLine) {
  // 100 MB of text in one line: linear time (seconds, where a quadratic
  // step would take hours).
  const size_t size = 100 * 1000 * 1000;
  std::string line = with("\"text\":\"");
  line.pop_back();
  const size_t head = line.size();
  line.resize(head + size, 'a');
  for (size_t i = head; i < line.size(); i += 1000)
    line[i] = '\\', line[i + 1] = 'n';
  line += "\"}";
  Tweet t = parse(line);
  ASSERT_TRUE(t.text);
  EXPECT_EQ(t.text->size(), size - size / 1000);
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

// ---------------------------------------------------------------------------
// Twitter time

TEST(TwitterTime, Parses) {
  EXPECT_EQ(parse_twitter_time("Thu Jan 01 00:00:00 +0000 1970"), 0);
  EXPECT_EQ(parse_twitter_time("Fri Jan 01 00:00:01 +0000 2021"), 1609459201);
  EXPECT_EQ(parse_twitter_time("Sat Sep 28 18:05:23 +0000 2019"), 1569693923);
  EXPECT_EQ(parse_twitter_time("Wed Dec 31 23:59:59 +0000 1969"), -1);
  EXPECT_EQ(parse_twitter_time("Tue Feb 29 12:00:00 +0000 2000"), 951825600);
  EXPECT_EQ(parse_twitter_time("Fri Dec 31 23:59:59 +0000 9999"), 253402300799);
  EXPECT_EQ(parse_twitter_time("Mon Jan 01 00:00:00 +0000 0001"), -62135596800);
  // Offsets: local time minus offset is UTC.
  EXPECT_EQ(parse_twitter_time("Fri Jan 01 02:00:01 +0200 2021"), 1609459201);
  EXPECT_EQ(parse_twitter_time("Thu Dec 31 19:30:01 -0430 2020"), 1609459201);
  EXPECT_EQ(parse_twitter_time("Fri Jan 01 15:59:01 +1559 2021"), 1609459201);
  // A leap second rolls over; names in any case.
  EXPECT_EQ(parse_twitter_time("Thu Dec 31 23:59:60 +0000 2020"), 1609459200);
  EXPECT_EQ(parse_twitter_time("fri JAN 01 00:00:01 +0000 2021"), 1609459201);
}

TEST(TwitterTime, RejectsBadValues) {
  for (const char* bad : {"",
                          "Fri Jan 01 00:00:01 +0000 2021 ",
                          "Fri Jan 1 00:00:01 +0000 2021",
                          "Fry Jan 01 00:00:01 +0000 2021",
                          "Fri Jam 01 00:00:01 +0000 2021",
                          "Fri Jan 00 00:00:01 +0000 2021",
                          "Fri Jan 32 00:00:01 +0000 2021",
                          "Mon Feb 29 00:00:01 +0000 2021",
                          "Mon Feb 29 00:00:01 +0000 1900",
                          "Mon Apr 31 00:00:01 +0000 2021",
                          "Fri Jan 01 24:00:00 +0000 2021",
                          "Fri Jan 01 00:60:00 +0000 2021",
                          "Fri Jan 01 00:00:61 +0000 2021",
                          "Fri Jan 01 00:00:01 +1600 2021",
                          "Fri Jan 01 00:00:01 +0060 2021",
                          "Fri Jan 01 00:00:01 *0000 2021",
                          "Fri Jan 01 00:00:01 0000 2021",
                          "Fri Jan 01 00:00:01 +0000 0000",
                          "Fri Jan 01 00:00:01 +0000 20a1",
                          "Fri-Jan 01 00:00:01 +0000 2021",
                          "Fri Jan 01 00-00:01 +0000 2021",
                          "2021-01-01T00:00:01Z",
                          "Fri Jan 01 0x:00:01 +0000 2021"}) {
    EXPECT_THROW(parse_twitter_time(bad), LoadError) << bad;
  }
  try {
    parse_twitter_time("Fri Jan 32 00:00:01 +0000 2021");
  } catch (const LoadError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(std::string(e.what()),
              "invalid Twitter time \"Fri Jan 32 00:00:01 +0000 2021\"");
  }
  expect_error(
      R"({"id":1,"created_at":"Fri Jan 32 00:00:01 +0000 2021","user":{"id":2}})",
      ErrorKind::kBadInput,
      "value \"Fri Jan 32 00:00:01 +0000 2021\" of field \"created_at\" is not "
      "a "
      "Twitter time");
}

// ---------------------------------------------------------------------------
// Geo output

std::string hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string s;
  for (unsigned char c : bytes) {
    s += kDigits[c >> 4];
    s += kDigits[c & 15];
  }
  return s;
}

TEST(Geo, PointWkb) {
  Geo g;
  g.kind = Geo::Kind::kPoint;
  g.x = 1;
  g.y = 2;
  // PostGIS: SELECT ST_AsBinary('POINT(1 2)'::geometry, 'NDR')
  EXPECT_EQ(hex(g.to_wkb()), "0101000000000000000000F03F0000000000000040");
  EXPECT_EQ(test::wkt_of(g), "POINT(1 2)");
}

TEST(Geo, MultiPolygonWkb) {
  Geo g;
  g.kind = Geo::Kind::kMultiPolygon;
  g.rings = {{{0, 0}, {1, 0}, {1, 1}, {0, 0}}};
  EXPECT_EQ(hex(g.to_wkb()),
            "01"
            "06000000"  // MultiPolygon
            "01000000"  // 1 polygon
            "01"
            "03000000"  // Polygon
            "01000000"  // 1 ring
            "04000000"  // 4 points
            "00000000000000000000000000000000"
            "000000000000F03F0000000000000000"
            "000000000000F03F000000000000F03F"
            "00000000000000000000000000000000");
  EXPECT_EQ(test::wkt_of(g), "MULTIPOLYGON(((0 0,1 0,1 1,0 0)))");
}

TEST(Geo, WktUsesShortestRoundTripNumbers) {
  Geo g;
  g.kind = Geo::Kind::kPoint;
  g.x = 0.1;
  g.y = -122.41941550000001;
  EXPECT_EQ(test::wkt_of(g), "POINT(0.1 -122.41941550000001)");
  g.x = 1e21;
  g.y = -0.0;
  EXPECT_EQ(test::wkt_of(g), "POINT(1e+21 -0)");
}

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

TEST(RealData, AllThreeFiles) {
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
}  // namespace tweet_loader
