// JSON text straight to PostgreSQL's binary jsonb format (the layout of
// src/include/utils/jsonb.h and the numeric of utils/adt/numeric.c, as of
// PostgreSQL 15), so that a denormalized load does not parse every line a
// second time through jsonb_in. The bytes are exactly those jsonb_in gives
// for the same text once its \u0000 escapes are removed (Postgres text
// cannot hold U+0000; the assignment's sed removed them too). The setting
// tweet_loader.check_jsonb compares the two on every row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tweet_loader {

class JsonbEncoder {
 public:
  // Replaces *out with the jsonb datum of text, varlena header included
  // (4 bytes, the format's alignment counts from them). text must be valid
  // UTF-8 (LineReader checks it); invalid JSON, a number numeric does not
  // accept and a value larger than jsonb holds throw LoadError.
  void encode(std::string_view text, std::string* out);

 private:
  enum class Type : uint8_t { kNull, kFalse, kTrue, kString, kNumber, kArray, kObject };
  struct Node {
    Type type;
    uint32_t count;     // string/number: bytes; container: members
    const char* text;   // string (decoded) or number (as written)
    uint32_t first;     // container: index of its first entry in children_
  };

  uint32_t parse_value(const char** p, const char* e, int depth);
  uint32_t parse_string(const char** p, const char* e);
  uint32_t parse_number(const char** p, const char* e);
  uint32_t close_container(Type type, size_t stack_base);

  uint32_t write_value(const Node& node, std::string* out);
  uint32_t write_container(const Node& node, bool raw_scalar, std::string* out);
  uint32_t write_numeric(std::string_view number, std::string* out);

  std::vector<Node> nodes_;
  std::vector<uint32_t> children_;  // each container's entries, contiguous
  std::vector<uint32_t> stack_;     // entries of the containers being parsed
  std::vector<std::pair<uint32_t, uint32_t>> pairs_;  // an object's members
  std::string strings_;             // strings whose escapes were decoded
  std::vector<uint8_t> digits_;        // decimal digits of a number
  std::vector<uint16_t> base_digits_;  // the same in base 10000
};

}  // namespace tweet_loader
