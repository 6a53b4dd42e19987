// Tests of strip_nul_escapes (src/json_text.cpp).
#include <gtest/gtest.h>

#include <string>

#include "json/json_text.h"

namespace tweet_loader {
namespace {

std::string strip(const std::string& line) {
  std::string out = "previous contents";
  strip_nul_escapes(line, &out);
  return out;
}

TEST(StripNulEscapes, NoBackslash) {
  EXPECT_EQ(strip(""), "");
  EXPECT_EQ(strip(R"({"text":"plain é 😀"})"), R"({"text":"plain é 😀"})");
}

TEST(StripNulEscapes, DropsEscapes) {
  EXPECT_EQ(strip(R"({"t":"a\u0000b"})"), R"({"t":"ab"})");
  EXPECT_EQ(strip(R"(\u0000)"), "");
  EXPECT_EQ(strip(R"(\u0000\u0000x\u0000)"), "x");
  EXPECT_EQ(strip(R"("\u0000")"), R"("")");
}

TEST(StripNulEscapes, EscapeAtTheEnd) {
  EXPECT_EQ(strip(R"(abc\u0000)"), "abc");
  // Cut short: not a complete escape, kept.
  EXPECT_EQ(strip(R"(abc\u000)"), R"(abc\u000)");
  EXPECT_EQ(strip(R"(abc\u)"), R"(abc\u)");
  EXPECT_EQ(strip(R"(abc\)"), R"(abc\)");
}

TEST(StripNulEscapes, EscapedBackslashIsKept) {
  // "\\u0000": an escaped backslash and the letters u0000.
  EXPECT_EQ(strip(R"("\\u0000")"), R"("\\u0000")");
  // "\\\u0000": an escaped backslash, then a real escape.
  EXPECT_EQ(strip(R"("\\\u0000")"), R"("\\")");
  // "\\\\u0000": two escaped backslashes, then letters.
  EXPECT_EQ(strip(R"("\\\\u0000")"), R"("\\\\u0000")");
}

TEST(StripNulEscapes, OtherEscapesAreKept) {
  EXPECT_EQ(strip(R"("\u0001\u00001\u1000\u0100\/\"\n")"),
            R"("\u00011\u1000\u0100\/\"\n")");
  EXPECT_EQ(strip(R"("\U0000")"), R"("\U0000")");
  EXPECT_EQ(strip(R"("\"\u0000\"")"), R"("\"\"")");
}

TEST(StripNulEscapes, LongLine) {
  std::string line, expected;
  for (int i = 0; i < 100000; ++i) {
    line += "ab\\/c\\u0000";
    expected += "ab\\/c";
  }
  EXPECT_EQ(strip(line), expected);
}

}  // namespace
}  // namespace tweet_loader
