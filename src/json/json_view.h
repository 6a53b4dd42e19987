// TreeView: one value of a JsonTree as the tweet mapping reads it. The
// mapping is written once against this interface and DomView's (the
// nlohmann DOM of lines the tree cannot hand on, nlohmann_dom.h); numbers
// are classified the way nlohmann's parser does, so both give the same rows
// and the same messages.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "json/json_tree.h"

namespace tweet_loader {

enum class JsonKind {
  kNull,
  kBoolean,
  kString,
  kArray,
  kObject,
  kInteger,     // negative, fits 64 bits
  kUnsigned,    // non-negative, fits 64 bits
  kFloat,       // has a fraction or an exponent
  kBigInteger,  // an integer beyond 64 bits (only its text is kept)
};

class TreeView {
 public:
  TreeView() = default;  // an absent value
  TreeView(const JsonTree* tree, const JsonTree::Node* node)
      : tree_(tree), node_(node) {}

  explicit operator bool() const { return node_ != nullptr; }

  JsonKind kind() const {
    switch (node_->type) {
      case JsonTree::Type::kNull:
        return JsonKind::kNull;
      case JsonTree::Type::kFalse:
      case JsonTree::Type::kTrue:
        return JsonKind::kBoolean;
      case JsonTree::Type::kString:
        return JsonKind::kString;
      case JsonTree::Type::kArray:
        return JsonKind::kArray;
      case JsonTree::Type::kObject:
        return JsonKind::kObject;
      case JsonTree::Type::kNumber:
        break;
    }
    uint64_t magnitude;
    return classify(&magnitude);
  }

  // The member named key of an object, or an absent value. Members are in
  // jsonb order (shorter keys first, then bytewise): a binary search.
  TreeView member(std::string_view key) const {
    uint32_t lo = 0, hi = node_->count;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      const int order = JsonTree::compare_keys(
          JsonTree::text_of(tree_->key(*node_, mid)), key);
      if (order < 0)
        lo = mid + 1;
      else if (order > 0)
        hi = mid;
      else
        return TreeView(tree_, &tree_->value(*node_, mid));
    }
    return TreeView();
  }

  // Elements of an array.
  size_t size() const { return node_->count; }
  TreeView element(size_t i) const {
    return TreeView(tree_,
                    &tree_->element(*node_, static_cast<uint32_t>(i)));
  }

  // Calls f(key, value) for each member of an object, in jsonb order.
  template <class F>
  void each_member(F f) const {
    for (uint32_t i = 0; i < node_->count; ++i)
      f(JsonTree::text_of(tree_->key(*node_, i)),
        TreeView(tree_, &tree_->value(*node_, i)));
  }

  bool boolean() const { return node_->type == JsonTree::Type::kTrue; }
  // A string's text, read in place.
  std::string_view text() const { return JsonTree::text_of(*node_); }
  // Whether the text is JSON string content as it stands (no escaping).
  bool text_is_json() const { return tree_->verbatim(*node_); }
  std::string take_string() const {
    return std::string(JsonTree::text_of(*node_));
  }
  int64_t integer() const {  // kInteger
    uint64_t magnitude;
    classify(&magnitude);
    return magnitude == 0 ? 0 : -static_cast<int64_t>(magnitude - 1) - 1;
  }
  uint64_t unsigned_integer() const {  // kUnsigned
    uint64_t magnitude;
    classify(&magnitude);
    return magnitude;
  }
  double floating() const {  // kFloat
    thread_local std::string text;
    text.assign(JsonTree::text_of(*node_));
    return std::strtod(text.c_str(), nullptr);
  }
  std::string number_text() const {  // any number, as written
    return std::string(JsonTree::text_of(*node_));
  }

 private:
  // A number's kind; for an integer that fits, its magnitude.
  JsonKind classify(uint64_t* magnitude) const {
    *magnitude = 0;
    const std::string_view text = JsonTree::text_of(*node_);
    if (text.find_first_of(".eE") != std::string_view::npos)
      return JsonKind::kFloat;
    const bool negative = text[0] == '-';
    uint64_t m = 0;
    for (size_t i = negative; i < text.size(); ++i) {
      const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
      if (m > (UINT64_MAX - digit) / 10) return JsonKind::kBigInteger;
      m = m * 10 + digit;
    }
    *magnitude = m;
    if (!negative) return JsonKind::kUnsigned;
    // -2^63 is the most negative int64_t.
    return m > (uint64_t{1} << 63) ? JsonKind::kBigInteger : JsonKind::kInteger;
  }

  const JsonTree* tree_ = nullptr;
  const JsonTree::Node* node_ = nullptr;
};

}  // namespace tweet_loader
