// JsonbEncoder: bytes worked out by hand from PostgreSQL's jsonb and numeric
// formats for small values, and the rules of jsonb_in (key order, the last
// of equal keys, \u0000 dropped) as equalities between encodings. The
// byte-for-byte comparison with jsonb_in itself on real and random tweets is
// in test/scripts/jsonb_encoding.sh.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "errors.h"
#include "json/json_tree.h"
#include "json/jsonb_encoder.h"

namespace tweet_loader {
namespace {

// The jsonb of a JSON text; invalid text is a LoadError kBadInput here.
std::string encode(const std::string& text) {
  JsonTree tree;
  if (!tree.parse(text)) throw LoadError(ErrorKind::kBadInput, "invalid JSON");
  JsonbEncoder encoder;
  std::string out;
  encoder.encode(tree, &out);
  return out;
}

// Little-endian words of 32 and 16 bits, as the encoder writes them here.
struct Bytes {
  std::string s;
  Bytes& u32(uint32_t v) {
    s.append(reinterpret_cast<const char*>(&v), 4);
    return *this;
  }
  Bytes& u16(uint16_t v) {
    s.append(reinterpret_cast<const char*>(&v), 2);
    return *this;
  }
  Bytes& str(const std::string& v) {
    s += v;
    return *this;
  }
  Bytes& pad(size_t n) {
    s.append(n, '\0');
    return *this;
  }
};

uint32_t varsize(size_t n) { return static_cast<uint32_t>(n) << 2; }

TEST(JsonbEncoderTest, EmptyObjectAndArray) {
  EXPECT_EQ(encode("{}"), Bytes().u32(varsize(8)).u32(0x20000000).s);
  EXPECT_EQ(encode(" [ ] "), Bytes().u32(varsize(8)).u32(0x40000000).s);
}

TEST(JsonbEncoderTest, ScalarIsAOneElementArray) {
  // header: 1 element, array, raw scalar; JEntry: numeric, end offset 8;
  // numeric 1: varlena of 8 bytes, short header (weight 0, dscale 0), 1.
  const std::string expected = Bytes()
                                   .u32(varsize(20))
                                   .u32(0x50000001)
                                   .u32(0x90000008)
                                   .u32(varsize(8))
                                   .u16(0x8000)
                                   .u16(1)
                                   .s;
  EXPECT_EQ(encode("1"), expected);
  EXPECT_EQ(encode("true"), Bytes().u32(varsize(12)).u32(0x50000001).u32(0xB0000000).s);
  EXPECT_EQ(encode("null"), Bytes().u32(varsize(12)).u32(0x50000001).u32(0xC0000000).s);
}

TEST(JsonbEncoderTest, ObjectKeysThenValuesWithPadding) {
  // {"b":"xy","a":-1.50}: keys sorted (a, b), then the values in key order.
  // The data starts at byte 24: "a" "b", 2 bytes of padding up to a
  // multiple of 4 from the start of the datum (counted in the numeric's
  // length), numeric -1.50 (weight 0, dscale 2, digits 1 and 5000), "xy".
  const std::string expected = Bytes()
                                   .u32(varsize(40))
                                   .u32(0x20000002)
                                   .u32(0x80000001)       // "a": end offset 1
                                   .u32(0x00000001)       // "b": length 1
                                   .u32(0x10000000 | 12)  // -1.50: 2 + 10
                                   .u32(0x00000002)       // "xy": length 2
                                   .str("ab")
                                   .pad(2)
                                   .u32(varsize(10))
                                   .u16(0x8000 | 0x2000 | (2 << 7))
                                   .u16(1)
                                   .u16(5000)
                                   .str("xy")
                                   .s;
  EXPECT_EQ(encode(R"({"b":"xy","a":-1.50})"), expected);
}

TEST(JsonbEncoderTest, NumericPaddingCountsFromTheDatumStart) {
  // ["abc",2]: "abc" fills bytes 16 to 18, the numeric starts at 20 after
  // one byte of padding, which its JEntry's length includes.
  const std::string got = encode(R"(["abc",2])");
  const std::string expected = Bytes()
                                   .u32(varsize(28))
                                   .u32(0x40000002)
                                   .u32(0x80000003)
                                   .u32(0x10000000 | 9)
                                   .str("abc")
                                   .pad(1)
                                   .u32(varsize(8))
                                   .u16(0x8000)
                                   .u16(2)
                                   .s;
  EXPECT_EQ(got, expected);
}

std::vector<uint16_t> numeric_words(const std::string& number) {
  // The numeric of a one-element array: after the datum header, the array
  // header and one JEntry, then its own varlena header.
  const std::string got = encode(number);
  std::vector<uint16_t> words;
  for (size_t i = 16; i + 1 < got.size(); i += 2) {
    uint16_t w;
    std::memcpy(&w, got.data() + i, 2);
    words.push_back(w);
  }
  return words;
}

TEST(JsonbEncoderTest, NumericDigitsWeightAndScale) {
  using W = std::vector<uint16_t>;
  // 12345678.9: digits 1234 5678 9000, weight 1, dscale 1.
  EXPECT_EQ(numeric_words("12345678.9"), (W{0x8000 | (1 << 7) | 1, 1234, 5678, 9000}));
  // 0.00012: digits 0001 2000 from weight -1, dscale 5.
  EXPECT_EQ(numeric_words("0.00012"), (W{0x8000 | (5 << 7) | 0x40 | 0x3F, 1, 2000}));
  // 1.2e5 = 120000: digits 12 at weight 1, dscale 0 (1 - 5 < 0).
  EXPECT_EQ(numeric_words("1.2e5"), (W{0x8000 | 1, 12}));
  // 25E-3 = 0.025: dscale 3, digit 250 at weight -1.
  EXPECT_EQ(numeric_words("25E-3"), (W{0x8000 | (3 << 7) | 0x7F, 250}));
  // Zero keeps its scale, loses its sign and has no digits.
  EXPECT_EQ(numeric_words("-0.00"), (W{0x8000 | (2 << 7)}));
  EXPECT_EQ(numeric_words("0"), (W{0x8000}));
  // 10000: one digit 1 at weight 1.
  EXPECT_EQ(numeric_words("10000"), (W{0x8000 | 1, 1}));
}

TEST(JsonbEncoderTest, NumericLongFormBeyondTheShortHeader) {
  using W = std::vector<uint16_t>;
  // 1e256: weight 64 does not fit the short header's 63.
  EXPECT_EQ(numeric_words("1e256"), (W{0x0000, 64, 1}));
  // -10^-64 written with 64 decimals: dscale 64 does not fit 63; the
  // digit 1 at weight -16.
  const std::string small = "-0." + std::string(63, '0') + "1";
  EXPECT_EQ(numeric_words(small), (W{0x4000 | 64, static_cast<uint16_t>(-16), 1}));
}

TEST(JsonbEncoderTest, KeysSortByLengthThenBytes) {
  EXPECT_EQ(encode(R"({"bb":1,"a":2,"c":[true]})"),
            encode(R"({"a":2,"c":[true],"bb":1})"));
  EXPECT_NE(encode(R"({"a":1,"b":2})"), encode(R"({"a":2,"b":1})"));
}

TEST(JsonbEncoderTest, TheLastOfEqualKeysStays) {
  EXPECT_EQ(encode(R"({"a":1,"b":0,"a":{"x":2},"a":3})"),
            encode(R"({"b":0,"a":3})"));
  EXPECT_EQ(encode(R"({"k":{"z":1,"z":2}})"), encode(R"({"k":{"z":2}})"));
}

TEST(JsonbEncoderTest, EscapesAreDecodedAndNulDropped) {
  EXPECT_EQ(encode(R"(["\u00e9\ud83d\ude00\n\"\\\/"])"),
            encode("[\"\xC3\xA9\xF0\x9F\x98\x80\\n\\\"\\\\/\"]"));
  EXPECT_EQ(encode(R"({"a\u0000":"x\u0000y"})"), encode(R"({"a":"xy"})"));
  // Keys equal once decoded are the same key.
  EXPECT_EQ(encode(R"({"\u0061":1,"a":2})"), encode(R"({"a":2})"));
}

TEST(JsonbEncoderTest, EveryThirtySecondEntryHoldsAnOffset) {
  std::string text = "[";
  for (int i = 0; i < 70; ++i) text += (i ? ",\"" : "\"") + std::string(i % 3 + 1, 'x') + "\"";
  text += "]";
  const std::string got = encode(text);
  uint32_t total = 0;
  for (int i = 0; i < 70; ++i) {
    uint32_t entry;
    std::memcpy(&entry, got.data() + 8 + 4 * i, 4);
    total += static_cast<uint32_t>(i % 3 + 1);
    if (i % 32 == 0)
      EXPECT_EQ(entry, 0x80000000u | total) << i;
    else
      EXPECT_EQ(entry, static_cast<uint32_t>(i % 3 + 1)) << i;
  }
}

void expect_error(const std::string& text, ErrorKind kind) {
  try {
    encode(text);
    ADD_FAILURE() << "no error for " << text.substr(0, 60);
  } catch (const LoadError& e) {
    EXPECT_EQ(e.kind(), kind) << text.substr(0, 60) << ": " << e.what();
  }
}

TEST(JsonbEncoderTest, InvalidTextIsAnError) {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "01", "1.", ".5", "-",
        "1e", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1] 2", "{1:2}",
        "\"a\tb\""})
    expect_error(bad, ErrorKind::kBadInput);
}

TEST(JsonbEncoderTest, NumbersNumericRefuses) {
  expect_error("1e1001", ErrorKind::kBadInput);
  expect_error("[1e-1001]", ErrorKind::kBadInput);
  EXPECT_NO_THROW(encode("1e1000"));
  // A scale above 16383 overflows numeric.
  expect_error("0." + std::string(16384, '1'), ErrorKind::kOutOfRange);
  EXPECT_NO_THROW(encode("0." + std::string(16383, '1')));
}

TEST(JsonbEncoderTest, NestingLimit) {
  EXPECT_NO_THROW(encode(std::string(200, '[') + std::string(200, ']')));
  JsonTree tree;
  EXPECT_FALSE(tree.parse(std::string(201, '[') + std::string(201, ']')));
}

}  // namespace
}  // namespace tweet_loader
