#include "json/nlohmann_dom.h"

#include <utility>
#include <vector>

#include "errors.h"
#include "utf8.h"

namespace tweet_loader {
namespace {

// A SAX handler that builds the DOM, enforcing the depth limit before
// anything is nested deeper and keeping the text of integers too large for
// 64 bits (nlohmann turns them into doubles) as a binary value. Strings are
// moved, not copied, into the DOM.
class DomBuilder {
 public:
  explicit DomBuilder(Json* root) : root_(root) { stack_.reserve(16); }

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(Json::number_integer_t v) { return value(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return value(v); }
  bool number_float(Json::number_float_t v, const Json::string_t& text) {
    if (text.find_first_of(".eE") == std::string::npos)
      return value(
          Json::binary(std::vector<std::uint8_t>(text.begin(), text.end())));
    return value(v);
  }
  bool string(Json::string_t& v) { return value(std::move(v)); }
  bool binary(Json::binary_t&) { return value(nullptr); }  // not in JSON text

  bool start_object(std::size_t) { return open(Json::value_t::object); }
  bool start_array(std::size_t) { return open(Json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(Json::string_t& k) {
    slot_ = &stack_.back()->get_ref<Json::object_t&>()[std::move(k)];
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const Json::exception& ex) {
    error_ = ex.what();
    // "[json.exception.parse_error.101] parse error at ..." -> "parse error at
    // ..."
    if (!error_.empty() && error_[0] == '[') {
      const size_t close = error_.find("] ");
      if (close != std::string::npos) error_.erase(0, close + 2);
    }
    // The text is one line of the file, whose number the caller gives:
    // "at line 1, column 448" would only mislead.
    const std::string line_one = "at line 1, column ";
    const size_t at = error_.find(line_one);
    if (at != std::string::npos) error_.replace(at, line_one.size(), "at column ");
    error_ = printable_utf8(error_, false);
    return false;
  }

  bool too_deep() const { return too_deep_; }
  const std::string& error() const { return error_; }

 private:
  // Stores a scalar or a new container where the parser is; returns it.
  template <class V>
  Json* put(V&& v) {
    if (stack_.empty()) {
      *root_ = Json(std::forward<V>(v));
      return root_;
    }
    Json* top = stack_.back();
    if (top->is_array()) {
      auto& array = top->get_ref<Json::array_t&>();
      array.emplace_back(std::forward<V>(v));
      return &array.back();
    }
    *slot_ = Json(std::forward<V>(v));
    return slot_;
  }

  template <class V>
  bool value(V&& v) {
    put(std::forward<V>(v));
    return true;
  }

  bool open(Json::value_t type) {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    stack_.push_back(put(type));
    return true;
  }

  bool close() {
    --depth_;
    stack_.pop_back();
    return true;
  }

  Json* root_;
  std::vector<Json*> stack_;  // open containers of the DOM
  Json* slot_ = nullptr;      // the object member the next value goes to
  int depth_ = 0;             // containers open
  bool too_deep_ = false;
  std::string error_;
};

}  // namespace

void parse_dom(std::string_view line, Json* doc) {
  DomBuilder builder(doc);
  const bool ok =
      Json::sax_parse(line.data(), line.data() + line.size(), &builder);
  if (builder.too_deep())
    throw LoadError(ErrorKind::kTooDeep, "JSON value is nested deeper than " +
                                             std::to_string(kMaxJsonDepth) +
                                             " levels");
  if (!ok)
    throw LoadError(ErrorKind::kBadInput, "invalid JSON: " + builder.error());
  if (!doc->is_object())
    throw LoadError(ErrorKind::kBadInput, "JSON value is not an object");
}

}  // namespace tweet_loader
