// Unit tests of Twitter times and of geometry as WKB.
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

}  // namespace
}  // namespace mapping_test
}  // namespace tweet_loader
