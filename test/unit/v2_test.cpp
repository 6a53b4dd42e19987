// Twitter API v2 input: responses flattened, v2 tweets mapped to the same
// row values as v1.1 (tweet/map_v2.h, tweet/v2_response.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../common/describe_tweet.h"
#include "../common/parse_line.h"
#include "errors.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace {

using test::describe;
using test::tweets_of;
using test::wkt_of;

const char* const kV2Dir = "../shared/realdata/twitter-api-v2/";

bool have_v2() { return access(kV2Dir, R_OK) == 0; }

std::vector<std::string> lines_of(const std::string& name) {
  std::ifstream in(std::string(kV2Dir) + name);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string message_of(std::string_view line) {
  try {
    tweets_of(line);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "no error";
}

// A page with one tweet and what it references.
const char* const kPage = R"({"data":[{"id":"20","text":"@bob hi #Tag $TSLA https://t.co/x",
 "created_at":"2021-04-08T19:34:16.000Z","author_id":"1","lang":"en","source":"Twitter Web App",
 "in_reply_to_user_id":"2","conversation_id":"19",
 "referenced_tweets":[{"type":"quoted","id":"18"},{"type":"replied_to","id":"19"}],
 "public_metrics":{"retweet_count":3,"reply_count":1,"like_count":4,"quote_count":5},
 "withheld":{"copyright":true,"country_codes":["DE","FR"]},
 "entities":{"mentions":[{"start":0,"end":4,"username":"bob"},{"start":0,"end":4,"username":"gone"}],
  "hashtags":[{"start":8,"end":12,"tag":"Tag"}],"cashtags":[{"start":13,"end":18,"tag":"TSLA"}],
  "urls":[{"start":19,"end":30,"url":"https://t.co/x","expanded_url":"https://example.com/a"}]},
 "attachments":{"media_keys":["3_1","3_missing"]},
 "geo":{"place_id":"p1"}}],
 "includes":{"users":[{"id":"1","username":"alice","name":"Alice","created_at":"2010-01-02T03:04:05.000Z",
   "url":"","location":"Here","description":"d","protected":false,"verified":true,
   "public_metrics":{"followers_count":9,"following_count":8,"tweet_count":7,"listed_count":6},
   "withheld":{"country_codes":["RU"]}},
  {"id":"2","username":"bob","name":"Bob"}],
  "tweets":[{"id":"18","text":"quoted","author_id":"2","created_at":"2021-04-07T00:00:00.000Z"}],
  "media":[{"media_key":"3_1","type":"photo","url":"https://pbs.twimg.com/media/a.jpg"}],
  "places":[{"id":"p1","full_name":"Austin, TX","country_code":"US",
   "geo":{"type":"Feature","bbox":[-97.9,30.1,-97.5,30.5],"properties":{}}}]},
 "meta":{"result_count":1},"__twarc":{"version":"2.0.3"}})";

TEST(V2, PageMapsEveryField) {
  const std::vector<Tweet> t = tweets_of(kPage);
  ASSERT_EQ(t.size(), 1u);
  const Tweet& w = t[0];
  EXPECT_EQ(w.id, 20);
  EXPECT_EQ(w.created_at, 1617910456);
  EXPECT_EQ(w.in_reply_to_status_id, 19);
  EXPECT_EQ(w.quoted_status_id, 18);
  EXPECT_EQ(w.in_reply_to_user_id, 2);
  EXPECT_EQ(w.retweet_count, 3);
  EXPECT_EQ(w.favorite_count, 4);
  EXPECT_EQ(w.quote_count, 5);
  EXPECT_EQ(w.withheld_copyright, true);
  EXPECT_EQ(*w.withheld_in_countries, (std::vector<std::string>{"DE", "FR"}));
  EXPECT_EQ(w.source, "Twitter Web App");
  EXPECT_EQ(w.text, "@bob hi #Tag $TSLA https://t.co/x");
  EXPECT_EQ(w.lang, "en");
  EXPECT_EQ(w.country_code, "us");
  EXPECT_EQ(w.state_code, "tx");
  EXPECT_EQ(w.place_name, "Austin, TX");
  EXPECT_EQ(wkt_of(w.geo),
            "MULTIPOLYGON(((-97.9 30.1,-97.9 30.5,-97.5 30.5,-97.5 30.1,-97.9 30.1)))");
  EXPECT_EQ(w.author.id, 1);
  EXPECT_TRUE(w.author.full);
  EXPECT_EQ(w.author.screen_name, "alice");
  EXPECT_EQ(w.author.name, "Alice");
  EXPECT_FALSE(w.author.url);  // "" is none
  EXPECT_EQ(w.author.created_at, 1262401445);
  EXPECT_EQ(w.author.friends_count, 8);
  EXPECT_EQ(w.author.statuses_count, 7);
  EXPECT_EQ(w.author.listed_count, 6);
  EXPECT_FALSE(w.author.favourites_count);  // not in this page's metrics
  EXPECT_EQ(w.author.verified, true);
  EXPECT_EQ(*w.author.withheld_in_countries, std::vector<std::string>{"RU"});
  // The mention of a user the page does not include has no id: no row.
  ASSERT_EQ(w.mentions.size(), 1u);
  EXPECT_EQ(w.mentions[0].id, 2);
  EXPECT_EQ(w.mentions[0].screen_name, "bob");
  EXPECT_EQ(w.mentions[0].name, "Bob");
  ASSERT_TRUE(w.reply_to);
  EXPECT_EQ(w.reply_to->id, 2);
  EXPECT_EQ(w.reply_to->screen_name, "bob");
  EXPECT_EQ(w.tags, (std::vector<std::string>{"#Tag", "$TSLA"}));
  EXPECT_EQ(w.urls, std::vector<std::string>{"https://example.com/a"});
  // A media key the page lacks gives no row.
  ASSERT_EQ(w.media.size(), 1u);
  EXPECT_EQ(w.media[0].url, "https://pbs.twimg.com/media/a.jpg");
  EXPECT_EQ(w.media[0].type, "photo");
}

TEST(V2, FlattenedTextHasTheExpansions) {
  std::vector<std::string> texts;
  tweets_of(kPage, false, &texts);
  ASSERT_EQ(texts.size(), 1u);
  const auto j = nlohmann::json::parse(texts[0]);
  EXPECT_EQ(j["author"]["username"], "alice");
  EXPECT_EQ(j["in_reply_to_user"]["name"], "Bob");
  EXPECT_EQ(j["entities"]["mentions"][0]["id"], "2");
  EXPECT_EQ(j["entities"]["mentions"][1], nlohmann::json::parse(
                                              R"({"start":0,"end":4,"username":"gone"})"));
  EXPECT_EQ(j["attachments"]["media"][1], nlohmann::json::object());
  EXPECT_EQ(j["geo"]["full_name"], "Austin, TX");
  EXPECT_EQ(j["geo"]["place_id"], "p1");
  EXPECT_EQ(j["referenced_tweets"][0]["text"], "quoted");
  EXPECT_EQ(j["referenced_tweets"][0]["type"], "quoted");
  EXPECT_EQ(j["referenced_tweets"][0]["author"]["username"], "bob");
  EXPECT_EQ(j["referenced_tweets"][1], nlohmann::json::parse(
                                           R"({"type":"replied_to","id":"19"})"));
  EXPECT_EQ(j["__twarc"]["version"], "2.0.3");
  // The flattened text reads the same through both parsers, and as the
  // tweet mapped from the page directly.
  EXPECT_EQ(describe(tweets_of(kPage)[0]), describe(tweets_of(kPage, true)[0]));
  EXPECT_EQ(describe(tweets_of(kPage)[0]),
            describe(tweets_of(kPage, false, nullptr, /*direct=*/true)[0]));
}

TEST(V2, GapsInThePage) {
  // The author missing from includes (a suspended account): a partial user.
  const std::string page =
      R"({"data":[{"id":"5","text":"t","created_at":"2022-01-01T00:00:00Z",)"
      R"("author_id":"77","geo":{"place_id":"nowhere"}}],"includes":{"users":[]}})";
  const std::vector<Tweet> t = tweets_of(page);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].author.id, 77);
  EXPECT_FALSE(t[0].author.full);
  EXPECT_FALSE(t[0].author.screen_name);
  // A place_id with no place: no place columns, no geometry.
  EXPECT_FALSE(t[0].country_code);
  EXPECT_FALSE(t[0].place_name);
  EXPECT_EQ(t[0].geo.kind, Geo::Kind::kNone);
}

TEST(V2, StreamLinesAndPointsAndNotes) {
  const std::string line =
      R"({"data":{"id":"6","text":"cut","created_at":"2022-01-01T00:00:00.999Z",)"
      R"("author_id":"7","note_tweet":{"text":"the whole long text",)"
      R"("entities":{"hashtags":[{"tag":"long"}]}},"entities":{"hashtags":[{"tag":"cut"}]},)"
      R"("geo":{"coordinates":{"type":"Point","coordinates":[13.4,52.5]}}},)"
      R"("includes":{"users":[{"id":"7","username":"u7","public_metrics":{"like_count":12}}]},)"
      R"("matching_rules":[{"id":"1","tag":"x"}]})";
  const std::vector<Tweet> t = tweets_of(line);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].created_at, 1640995200);  // the fraction dropped
  EXPECT_EQ(t[0].text, "the whole long text");
  EXPECT_EQ(t[0].tags, std::vector<std::string>{"#long"});
  // GeoJSON [lon, lat] stored as v1.1's geo: POINT(lat lon).
  EXPECT_EQ(wkt_of(t[0].geo), "POINT(52.5 13.4)");
  EXPECT_EQ(t[0].author.favourites_count, 12);
}

TEST(V2, LinesThatHoldNoTweet) {
  for (const char* line : {
           R"({"errors":[{"title":"Not Found Error","resource_id":"1"}]})",
           R"({"data":[],"meta":{"result_count":0}})",
           R"({"meta":{"result_count":0}})",
           R"({"data":{"delete":{"tweet":{"id":"1","author_id":"2"}},"event_at":"x"}})",
           R"({"id":"1372966999991541762","action":"delete","created_at":"2021-03-19T17:07:48.000Z","redacted_at":"2021-03-19T17:10:53.000Z","reason":"deleted"})",
       }) {
    EXPECT_TRUE(tweets_of(line).empty()) << line;
    EXPECT_TRUE(tweets_of(line, true).empty()) << line;
  }
}

TEST(V2, IdsAsNumbersAreAcceptedWhenExact) {
  const std::vector<Tweet> t = tweets_of(
      R"({"id":1380242611781386245,"author_id":12,"text":"x","created_at":"2021-04-08T19:34:16.000Z"})");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].id, 1380242611781386245);
  EXPECT_EQ(t[0].author.id, 12);
}

TEST(V2, BadInputNamesTheField) {
  EXPECT_EQ(message_of(R"({"data":"x","includes":{}})"),
            "field \"data\" must be an array or an object, not a string");
  EXPECT_EQ(message_of(R"({"data":[1]})"),
            "field \"data[0]\" must be an object, not a number");
  EXPECT_EQ(message_of(R"({"data":[],"includes":{"users":{}}})"),
            "no error");  // a page without tweets reads nothing else
  EXPECT_EQ(message_of(R"({"data":[{"id":"1"}],"includes":{"users":{}}})"),
            "field \"includes.users\" must be an array, not an object");
  EXPECT_EQ(message_of(R"({"id":"12a","author_id":"1","created_at":"2021-04-08T19:34:16Z"})"),
            "value \"12a\" of field \"id\" is not a string of digits");
  EXPECT_EQ(message_of(R"({"id":"99999999999999999999","author_id":"1","created_at":"2021-04-08T19:34:16Z"})"),
            "value 99999999999999999999 of field \"id\" is out of range for type bigint");
  EXPECT_EQ(message_of(R"({"id":1.5,"author_id":"1","created_at":"2021-04-08T19:34:16Z"})"),
            "field \"id\" must be a string of digits, not a float");
  EXPECT_EQ(message_of(R"({"id":"1","author_id":"1","created_at":"Fri Jan 01 00:00:01 +0000 2021"})"),
            "value \"Fri Jan 01 00:00:01 +0000 2021\" of field \"created_at\" is not an ISO 8601 time");
  EXPECT_EQ(message_of(R"({"id":"1","text":"x","author_id":"1"})"),
            "tweet has no \"created_at\"");
  EXPECT_EQ(message_of(R"({"id":"1","public_metrics":{},"created_at":"2021-04-08T19:34:16Z"})"),
            "tweet has no \"author_id\"");
  EXPECT_EQ(message_of(R"({"id":"1","author_id":"1","created_at":"2021-04-08T19:34:16Z","public_metrics":{"like_count":40000}})"),
            "value 40000 of field \"public_metrics.like_count\" is out of range for type smallint");
  EXPECT_EQ(message_of(R"({"id":"1","author_id":"1","created_at":"2021-04-08T19:34:16Z","geo":{"geo":{"bbox":[1,2,3]}}})"),
            "field \"geo.geo.bbox\" must be an array of 4 numbers");
}

// ---------------------------------------------------------------------------
// The real files of ../shared/realdata/twitter-api-v2 (skipped without).

TEST(V2RealData, PageAndFlattenedGiveTheSameTweets) {
  if (!have_v2()) GTEST_SKIP() << "no ../shared/realdata";
  const std::vector<std::string> page = lines_of("noflat.jsonl");
  const std::vector<std::string> flat = lines_of("flat.jsonl");
  ASSERT_EQ(page.size(), 1u);
  ASSERT_EQ(flat.size(), 100u);
  std::vector<std::string> texts;
  const std::vector<Tweet> from_page = tweets_of(page[0], false, &texts);
  ASSERT_EQ(from_page.size(), 100u);
  const std::vector<Tweet> direct = tweets_of(page[0], false, nullptr, true);
  ASSERT_EQ(direct.size(), 100u);
  for (size_t i = 0; i < 100; ++i) {
    EXPECT_EQ(describe(from_page[i]), describe(direct[i])) << i;
    const std::vector<Tweet> one = tweets_of(flat[i]);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(describe(from_page[i]), describe(one[0])) << i;
    // The flattening is twarc2's: the same JSON.
    EXPECT_EQ(nlohmann::json::parse(texts[i]), nlohmann::json::parse(flat[i])) << i;
  }
}

TEST(V2RealData, EveryFileReadsTheSameThroughEveryRoute) {
  if (!have_v2()) GTEST_SKIP() << "no ../shared/realdata";
  for (const char* name :
       {"cashtags.jsonl", "geo_tweets.jsonl", "many_urls.jsonl", "media_tweet.jsonl",
        "mentions_tweet.jsonl", "withheld.jsonl", "streaming_output_with_error.jsonl"}) {
    const std::vector<std::string> lines = lines_of(name);
    ASSERT_FALSE(lines.empty()) << name;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string a = test::outcome(lines[i], false);
      EXPECT_EQ(a, test::outcome(lines[i], true)) << name << ":" << i + 1;
      EXPECT_EQ(a, test::outcome(lines[i], false, true)) << name << ":" << i + 1;
      EXPECT_EQ(a, test::outcome(lines[i], true, true)) << name << ":" << i + 1;
    }
  }
  // The stream's last line is cut off: invalid JSON.
  const std::vector<std::string> s = lines_of("streaming_output_with_error.jsonl");
  EXPECT_EQ(message_of(s.back()).rfind("invalid JSON", 0), 0u) << message_of(s.back());
}

}  // namespace
}  // namespace tweet_loader
