// One JSON text parsed into a flat tree, ordered the way jsonb keeps it:
// an object's members sorted by key (shorter first, then bytewise) with
// only the last of equal keys, strings decoded without U+0000, numbers kept
// as written. The mapping reads tweets from it (parse_tweet), and
// denormalized loads write the same tree out as jsonb (JsonbEncoder), so
// each line is parsed once.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tweet_loader {

// Deepest nesting accepted (the root container is level 1).
constexpr int kMaxJsonDepth = 200;

class JsonTree {
 public:
  enum class Type : uint8_t { kNull, kFalse, kTrue, kString, kNumber, kArray, kObject };
  struct Node {
    Type type;
    uint32_t count;    // string/number: bytes; array: elements; object: members
    const char* text;  // string (decoded) or number (as written)
    uint32_t first;    // container: where its entries start in entries()
  };

  // Parses text, which must be valid UTF-8 (LineReader checks it). False
  // if it is not JSON or nests deeper than kMaxJsonDepth; parse_tweet
  // tells why.
  bool parse(std::string_view text);

  const Node& root() const { return nodes_[root_]; }
  // An array's element i; an object's member i, its key and its value
  // (members in jsonb's order, see compare_keys).
  const Node& element(const Node& array, uint32_t i) const {
    return nodes_[entries_[array.first + i]];
  }
  const Node& key(const Node& object, uint32_t i) const {
    return nodes_[entries_[object.first + 2 * i]];
  }
  const Node& value(const Node& object, uint32_t i) const {
    return nodes_[entries_[object.first + 2 * i + 1]];
  }
  // Whether a key held a \u0000 escape (dropped from the tree, so the key
  // may now equal another one). Strings drop it as the mapping does.
  bool key_lost_nul() const { return key_lost_nul_; }
  // Whether a number may be too large for a double (beyond 10^300).
  bool huge_number() const { return huge_number_; }

  static std::string_view text_of(const Node& n) { return {n.text, n.count}; }
  // Whether a string is the parsed text itself (it had no escape, so it
  // holds no '"', '\\' or control character), not a decoded copy.
  bool verbatim(const Node& n) const {
    return n.text >= source_.data() && n.text < source_.data() + source_.size();
  }

  // jsonb's order of keys: shorter first, then bytewise. Negative, zero or
  // positive as a is before, equal to or after b.
  static int compare_keys(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return std::memcmp(a.data(), b.data(), a.size());
  }

 private:
  uint32_t parse_value(const char** p, const char* e, int depth);
  uint32_t parse_string(const char** p, const char* e, bool is_key);
  uint32_t parse_number(const char** p, const char* e);
  uint32_t close_container(Type type, size_t stack_base);
  uint32_t add(const Node& node);

  std::vector<Node> nodes_;
  std::string_view source_;  // the text parsed
  uint32_t root_ = 0;
  bool key_lost_nul_ = false;
  bool huge_number_ = false;
  std::vector<uint32_t> entries_;  // each container's entries, contiguous
  std::vector<uint32_t> stack_;    // entries of the containers being parsed
  std::vector<uint32_t> order_;    // an object's members, being sorted
  // For objects of n members (n < kKnownOrders), the members' order in
  // the last one sorted without equal keys (close_container).
  static constexpr uint32_t kKnownOrders = 64;
  std::vector<uint32_t> known_orders_[kKnownOrders];
  std::string strings_;            // strings whose escapes were decoded
};

}  // namespace tweet_loader
