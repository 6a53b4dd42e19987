// The route for lines the JsonTree cannot hand on exactly (a \u0000 escape
// in a key, which the tree drops, so the key may equal another one; numbers
// that may exceed a double, which nlohmann refuses wherever they are;
// invalid JSON, whose message nlohmann words):
// the line parsed by nlohmann/json into a DOM, read through DomView, the
// same interface as TreeView (json_view.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "json/json_view.h"

namespace tweet_loader {

using Json = nlohmann::json;

// Parses one line into *doc. Throws LoadError: kTooDeep beyond
// kMaxJsonDepth, kBadInput "invalid JSON: ..." with nlohmann's message, or
// kBadInput "JSON value is not an object". Integers beyond 64 bits are kept
// as their text (a binary value, which JSON text cannot otherwise produce).
void parse_dom(std::string_view line, Json* doc);

class DomView {
 public:
  DomView() = default;  // an absent value
  explicit DomView(Json* v) : v_(v) {}

  explicit operator bool() const { return v_ != nullptr; }

  JsonKind kind() const {
    switch (v_->type()) {
      case Json::value_t::null:
        return JsonKind::kNull;
      case Json::value_t::boolean:
        return JsonKind::kBoolean;
      case Json::value_t::string:
        return JsonKind::kString;
      case Json::value_t::array:
        return JsonKind::kArray;
      case Json::value_t::object:
        return JsonKind::kObject;
      case Json::value_t::number_integer:
        return JsonKind::kInteger;
      case Json::value_t::number_unsigned:
        return JsonKind::kUnsigned;
      case Json::value_t::number_float:
        return JsonKind::kFloat;
      default:
        return JsonKind::kBigInteger;  // binary: see parse_dom
    }
  }

  DomView member(std::string_view key) const {
    auto it = v_->find(std::string(key));
    return it == v_->end() ? DomView() : DomView(&*it);
  }

  size_t size() const { return v_->size(); }
  DomView element(size_t i) const { return DomView(&(*v_)[i]); }

  template <class F>
  void each_member(F f) const {
    for (auto it = v_->begin(); it != v_->end(); ++it)
      f(std::string_view(it.key()), DomView(&it.value()));
  }

  bool boolean() const { return v_->get<bool>(); }
  // A string's text without the U+0000 nlohmann decoded (removed in
  // place). A copy, since a v2 response's includes are read more than once.
  std::string_view text() const {
    std::string& s = v_->get_ref<std::string&>();
    s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
    return s;
  }
  bool text_is_json() const { return false; }
  std::string take_string() const { return std::string(text()); }
  int64_t integer() const { return v_->get<int64_t>(); }
  uint64_t unsigned_integer() const { return v_->get<uint64_t>(); }
  double floating() const { return v_->get<double>(); }
  std::string number_text() const {  // any number: JSON text
    if (!v_->is_binary()) return v_->dump();
    const auto& digits = v_->get_binary();
    return std::string(digits.begin(), digits.end());
  }

 private:
  Json* v_ = nullptr;
};

}  // namespace tweet_loader
