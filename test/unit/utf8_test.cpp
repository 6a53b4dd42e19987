// Tests of LineReader's UTF-8 check: every boundary, the line and byte of
// each bad sequence, and agreement with a reference on random input.
#include <gtest/gtest.h>
#include <random>
#include <string>

#include "../common/reference_utf8.h"

#include "reader_test_util.h"

namespace tweet_loader {
namespace reader_test {
namespace {

// ------------------------------------------------------------------ UTF-8

TEST_F(LineReaderTest, ValidUtf8Boundaries) {
  Lines lines{
      "\x7f",              // U+007F
      "\xc2\x80",          // U+0080
      "\xdf\xbf",          // U+07FF
      "\xe0\xa0\x80",      // U+0800
      "\xed\x9f\xbf",      // U+D7FF
      "\xee\x80\x80",      // U+E000
      "\xef\xbf\xbf",      // U+FFFF
      "\xf0\x90\x80\x80",  // U+10000
      "\xf4\x8f\xbf\xbf",  // U+10FFFF
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x91\xa9\xe2\x80\x8d"
      "\xf0\x9f\x92\xbb and some more ascii after it",
  };
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  EXPECT_EQ(read_all(write("utf8", text)), lines);
}

TEST_F(LineReaderTest, InvalidUtf8NamesLineAndByte) {
  struct Case {
    std::string bad;  // placed after "ok ascii text " (14 bytes)
    std::string message;
  };
  std::vector<Case> cases{
      {"\xff", "invalid UTF-8 byte 0xff at line 3, byte 15"},
      {"\x80", "invalid UTF-8 byte 0x80 at line 3, byte 15"},
      {"\xc0\xaf", "invalid UTF-8 byte 0xc0 at line 3, byte 15"},  // overlong
      {"\xc1\xbf", "invalid UTF-8 byte 0xc1 at line 3, byte 15"},  // overlong
      {"\xe0\x80\xaf", "invalid UTF-8 byte 0x80 at line 3, byte 16"},
      {"\xf0\x80\x80\xaf", "invalid UTF-8 byte 0x80 at line 3, byte 16"},
      {"\xed\xa0\x80", "invalid UTF-8 byte 0xa0 at line 3, byte 16"},  // D800
      {"\xed\xbf\xbf", "invalid UTF-8 byte 0xbf at line 3, byte 16"},  // DFFF
      {"\xf4\x90\x80\x80", "invalid UTF-8 byte 0x90 at line 3, byte 16"},
      {"\xf5\x80\x80\x80", "invalid UTF-8 byte 0xf5 at line 3, byte 15"},
      {"\xe2\x82x", "invalid UTF-8 byte 0x78 at line 3, byte 17"},
      {"\xe2\x28\xa1", "invalid UTF-8 byte 0x28 at line 3, byte 16"},
      {"\xf0\x9f\x98", "incomplete UTF-8 sequence at line 3, byte 15"},
      {std::string("\0", 1), "invalid NUL byte (0x00) at line 3, byte 15"},
  };
  int i = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    std::string text =
        "line one\nline two\nok ascii text " + c.bad + "\nfour\n";
    std::string name = "bad" + std::to_string(i++);
    expect_error(write(name, text), ErrorKind::kBadEncoding, c.message, 3);
    expect_error(write(name + ".gz", gzip_bytes(text)), ErrorKind::kBadEncoding,
                 c.message, 3);
  }
  // In the fast path: after 40 ASCII bytes, and as the last byte.
  expect_error(
      write("fast", std::string(40, 'a') + "\xff" + "bbbbbbbbbbbbbbbbbbbb"),
      ErrorKind::kBadEncoding, "invalid UTF-8 byte 0xff at line 1, byte 41", 1);
  expect_error(write("last", std::string(23, 'a') + std::string("\0", 1)),
               ErrorKind::kBadEncoding,
               "invalid NUL byte (0x00) at line 1, byte 24", 1);
  // The line number is also what line_number() says.
  LineReader r(write("num", "a\n\xff\n"));
  std::string_view line;
  ASSERT_TRUE(r.next(line));
  EXPECT_THROW(r.next(line), LoadError);
  EXPECT_EQ(r.line_number(), 2u);
}
// Encodes any code point up to U+10FFFF, surrogates included.
std::string encode_utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xc0 | cp >> 6);
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | cp >> 12);
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | cp >> 18);
    s += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return s;
}

TEST_F(LineReaderTest, Utf8AgreesWithReferenceOnRandomInput) {
  std::mt19937 rng(12345);
  const unsigned char alphabet[] = {'a',  0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                    0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
                                    0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1,
                                    0xf3, 0xf4, 0xf5, 0xff};
  std::string valid_text;
  std::vector<std::string> valid;
  int invalid_checked = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    size_t len = 1 + rng() % 6;
    if (rng() % 4 == 0) s.assign(rng() % 20, 'x');  // some fast-path prefix
    for (size_t k = 0; k < len; ++k) {
      unsigned pick = rng() % 10;
      if (pick < 4) {
        s += 'a';
      } else if (pick < 7) {
        s += encode_utf8(1 + rng() % 0x10ffff);  // may be a surrogate
      } else {
        s += static_cast<char>(alphabet[rng() % sizeof alphabet]);
      }
    }
    if (test::reference_utf8(s)) {
      valid.push_back(s);
      valid_text += s + "\n";
    } else if (invalid_checked < 400) {
      ++invalid_checked;
      LoadError e = read_error(write("inv", s));
      EXPECT_EQ(e.kind(), ErrorKind::kBadEncoding);
      EXPECT_EQ(e.line(), 1u);
    }
  }
  EXPECT_GT(valid.size(), 2000u);
  EXPECT_EQ(read_all(write("valid", valid_text)), valid);
}

}  // namespace
}  // namespace reader_test
}  // namespace tweet_loader
