// Unit tests of the mapping's errors: invalid JSON, missing and mistyped
// fields, numbers out of range, nesting and size limits, each message.
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

}  // namespace
}  // namespace mapping_test
}  // namespace tweet_loader
