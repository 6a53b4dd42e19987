// Reading typed fields out of a JSON view (json_view.h: TreeView over the
// JsonTree, DomView over nlohmann's DOM) with messages that name the
// field's path: "field \"user.id\" must be an integer, not a string". The
// mapping (mapping.cpp) is written with these alone.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "errors.h"
#include "json/json_view.h"
#include "tweet/tweet.h"
#include "utf8.h"

namespace tweet_loader {
namespace fields {

// Where a value sits: "user.id", "entities.hashtags[2].text". Built as a
// chain on the stack; turned into text only for an error message.
struct Path {
  const Path* parent = nullptr;
  const char* key = nullptr;  // member name; nullptr: array element `index`
  size_t index = 0;
};

inline std::string to_string(const Path& p) {
  if (p.parent == nullptr) return p.key ? p.key : "";
  std::string s = to_string(*p.parent);
  if (p.key != nullptr) {
    if (!s.empty()) s += '.';
    s += p.key;
  } else {
    s += '[';
    s += std::to_string(p.index);
    s += ']';
  }
  return s;
}

inline Path member(const Path& parent, const char* key) {
  return Path{&parent, key, 0};
}
inline Path element(const Path& parent, size_t i) { return Path{&parent, nullptr, i}; }

// At most 60 bytes of a string for a message, cut on a character boundary.
inline std::string shorten(std::string_view s) {
  if (s.size() <= 60) return std::string(s);
  size_t cut = 60;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

// "a string", "null", ... for "must be an integer, not a string".
template <class V>
const char* type_name(const V& v) {
  switch (v.kind()) {
    case JsonKind::kNull:
      return "null";
    case JsonKind::kBoolean:
      return "a boolean";
    case JsonKind::kString:
      return "a string";
    case JsonKind::kArray:
      return "an array";
    case JsonKind::kObject:
      return "an object";
    case JsonKind::kFloat:
      return "a float";
    default:
      return "a number";  // integers, and integers beyond 64 bits
  }
}

template <class V>
[[noreturn]] void fail_type(const Path& p, const char* wanted, const V& v) {
  throw LoadError(ErrorKind::kBadInput, "field \"" + to_string(p) +
                                            "\" must be " + wanted + ", not " +
                                            type_name(v));
}

[[noreturn]] inline void fail_range(const Path& p, const std::string& value,
                                    const char* type) {
  throw LoadError(ErrorKind::kOutOfRange,
                  "value " + value + " of field \"" + to_string(p) +
                      "\" is out of range for type " + type);
}

[[noreturn]] inline void fail_missing(const Path& p) {
  throw LoadError(ErrorKind::kBadInput,
                  "tweet has no \"" + to_string(p) + "\"");
}

// "an object" etc. for type messages.
constexpr const char* kAnInteger = "an integer";
constexpr const char* kAString = "a string";
constexpr const char* kABoolean = "a boolean";
constexpr const char* kAnObject = "an object";
constexpr const char* kAnArray = "an array";
constexpr const char* kANumber = "a number";

// The member, or an absent value when it is absent or null.
template <class V>
V find(const V& obj, const char* key) {
  const V v = obj.member(key);
  return v && v.kind() != JsonKind::kNull ? v : V();
}

// A required member (may be null: the conversion then names the type).
template <class V>
V require(const V& obj, const char* key, const Path& parent) {
  const V v = obj.member(key);
  if (!v) fail_missing(member(parent, key));
  return v;
}

// An integer that must lie in [lo, hi] (the range of SQL type sql_type).
template <class V>
int64_t to_int(const V& v, const Path& p, int64_t lo, int64_t hi,
               const char* sql_type) {
  switch (v.kind()) {
    case JsonKind::kInteger: {
      const int64_t i = v.integer();
      if (i < lo || i > hi) fail_range(p, std::to_string(i), sql_type);
      return i;
    }
    case JsonKind::kUnsigned: {
      const uint64_t u = v.unsigned_integer();
      if (u > static_cast<uint64_t>(hi))
        fail_range(p, std::to_string(u), sql_type);
      return static_cast<int64_t>(u);
    }
    case JsonKind::kBigInteger:
      fail_range(p, v.number_text(), sql_type);
    default:
      fail_type(p, kAnInteger, v);
  }
}

template <class V>
int64_t to_int64(const V& v, const Path& p) {
  return to_int(v, p, std::numeric_limits<int64_t>::min(),
                std::numeric_limits<int64_t>::max(), "bigint");
}

// A number as a double (integers too; digits beyond 64 bits via strtod).
template <class V>
double to_double(const V& v, const Path& p) {
  switch (v.kind()) {
    case JsonKind::kInteger:
      return static_cast<double>(v.integer());
    case JsonKind::kUnsigned:
      return static_cast<double>(v.unsigned_integer());
    case JsonKind::kFloat:
      return v.floating();
    case JsonKind::kBigInteger:
      return std::strtod(v.number_text().c_str(), nullptr);
    default:
      fail_type(p, kANumber, v);
  }
}

// The string's text.
template <class V>
std::string take_string(const V& v, const Path& p) {
  if (v.kind() != JsonKind::kString) fail_type(p, kAString, v);
  return v.take_string();
}


// A varchar(2) value: at most 2 characters.
inline void check_code(const std::string& s, const Path& p) {
  if (utf8_chars(s) > 2)
    throw LoadError(ErrorKind::kOutOfRange,
                    "value \"" + shorten(s) + "\" of field \"" + to_string(p) +
                        "\" is too long for type character varying(2)");
}

inline void ascii_lower(std::string* s) {
  for (char& c : *s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

// After country_code and place_name are read: the code lower-cased and
// checked, and for "us" the state code, the last comma-separated part of
// the place name ("Austin, TX"), trimmed and lower-cased, when it has at
// most 2 characters.
inline void finish_place(const Path& code_path, Tweet* t) {
  if (t->country_code) {
    ascii_lower(&*t->country_code);
    check_code(*t->country_code, code_path);
  }
  if (t->country_code == "us" && t->place_name) {
    std::string_view s = *t->place_name;
    const size_t comma = s.rfind(',');
    if (comma != std::string_view::npos) s.remove_prefix(comma + 1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (utf8_chars(s) <= 2) {
      t->state_code.emplace(s);
      ascii_lower(&*t->state_code);
    }
  }
}

// Optional members: absent or null leaves `out` empty; a present value of
// the wrong type throws.

template <class V>
V opt_object(const V& obj, const char* key, const Path& parent) {
  const V v = find(obj, key);
  if (v && v.kind() != JsonKind::kObject)
    fail_type(member(parent, key), kAnObject, v);
  return v;
}

template <class V>
V opt_array(const V& obj, const char* key, const Path& parent) {
  const V v = find(obj, key);
  if (v && v.kind() != JsonKind::kArray)
    fail_type(member(parent, key), kAnArray, v);
  return v;
}

template <class V>
void opt_string(const V& obj, const char* key, const Path& parent,
                std::optional<std::string>* out) {
  if (const V v = find(obj, key))
    out->emplace(take_string(v, member(parent, key)));
}

template <class T, class V>
void opt_int(const V& obj, const char* key, const Path& parent,
             const char* sql_type, std::optional<T>* out) {
  if (const V v = find(obj, key))
    *out = static_cast<T>(to_int(v, member(parent, key),
                                 std::numeric_limits<T>::min(),
                                 std::numeric_limits<T>::max(), sql_type));
}

template <class V>
void opt_int16(const V& obj, const char* key, const Path& parent,
               std::optional<int16_t>* out) {
  opt_int(obj, key, parent, "smallint", out);
}
template <class V>
void opt_int32(const V& obj, const char* key, const Path& parent,
               std::optional<int32_t>* out) {
  opt_int(obj, key, parent, "integer", out);
}
template <class V>
void opt_int64(const V& obj, const char* key, const Path& parent,
               std::optional<int64_t>* out) {
  opt_int(obj, key, parent, "bigint", out);
}

template <class V>
void opt_bool(const V& obj, const char* key, const Path& parent,
              std::optional<bool>* out) {
  if (const V v = find(obj, key)) {
    if (v.kind() != JsonKind::kBoolean)
      fail_type(member(parent, key), kABoolean, v);
    *out = v.boolean();
  }
}

// A time string read by parse; format names it in the message.
template <class V>
int64_t to_time_as(const V& v, const Path& p, int64_t (*parse)(std::string_view),
                   const char* format) {
  const std::string s = take_string(v, p);
  try {
    return parse(s);
  } catch (const LoadError&) {
    throw LoadError(ErrorKind::kBadInput, "value \"" + shorten(s) +
                                              "\" of field \"" + to_string(p) +
                                              "\" is not " + format);
  }
}

// v1.1's "Fri Jan 01 00:00:01 +0000 2021" and v2's ISO 8601.
template <class V>
int64_t to_time(const V& v, const Path& p) {
  return to_time_as(v, p, parse_twitter_time, "a Twitter time");
}
template <class V>
int64_t to_iso_time(const V& v, const Path& p) {
  return to_time_as(v, p, parse_iso_time, "an ISO 8601 time");
}

template <class V>
void opt_iso_time(const V& obj, const char* key, const Path& parent,
                  std::optional<int64_t>* out) {
  if (const V v = find(obj, key)) *out = to_iso_time(v, member(parent, key));
}

// A v2 id: a string of decimal digits (as the API writes ids) or an
// integer, either within bigint.
template <class V>
int64_t to_id(const V& v, const Path& p) {
  if (v.kind() != JsonKind::kString) {
    if (v.kind() == JsonKind::kObject || v.kind() == JsonKind::kArray ||
        v.kind() == JsonKind::kNull || v.kind() == JsonKind::kBoolean ||
        v.kind() == JsonKind::kFloat)
      fail_type(p, "a string of digits", v);
    return to_int64(v, p);
  }
  const std::string_view s = v.text();
  uint64_t n = 0;
  bool fits = true;
  for (char c : s) {
    if (c < '0' || c > '9')
      throw LoadError(ErrorKind::kBadInput,
                      "value \"" + shorten(s) + "\" of field \"" +
                          to_string(p) + "\" is not a string of digits");
    if (n > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) -
             static_cast<uint64_t>(c - '0')) / 10)
      fits = false;
    else
      n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (s.empty())
    throw LoadError(ErrorKind::kBadInput,
                    "value \"\" of field \"" + to_string(p) +
                        "\" is not a string of digits");
  if (!fits) fail_range(p, shorten(s), "bigint");
  return static_cast<int64_t>(n);
}

template <class V>
void opt_id(const V& obj, const char* key, const Path& parent,
            std::optional<int64_t>* out) {
  if (const V v = find(obj, key)) *out = to_id(v, member(parent, key));
}

template <class V>
void opt_time(const V& obj, const char* key, const Path& parent,
              std::optional<int64_t>* out) {
  if (const V v = find(obj, key)) *out = to_time(v, member(parent, key));
}

// withheld_in_countries: an array of strings of at most 2 characters.
template <class V>
void opt_codes(const V& obj, const char* key, const Path& parent,
               std::optional<std::vector<std::string>>* out) {
  const V a = opt_array(obj, key, parent);
  if (!a) return;
  const Path ap = member(parent, key);
  out->emplace();
  (*out)->reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const Path p = element(ap, i);
    (*out)->push_back(take_string(a.element(i), p));
    check_code((*out)->back(), p);
  }
}

// Calls f(element, path) for each element of the optional array obj[key],
// which must be objects.
template <class V, class F>
void each_object(const V& obj, const char* key, const Path& parent, F f) {
  if (!obj) return;
  const V a = opt_array(obj, key, parent);
  if (!a) return;
  const Path ap = member(parent, key);
  for (size_t i = 0; i < a.size(); ++i) {
    const Path p = element(ap, i);
    const V v = a.element(i);
    if (v.kind() != JsonKind::kObject) fail_type(p, kAnObject, v);
    f(v, p);
  }
}

// Each entry of the optional array entities[list] (objects): its string
// field with sign before it ("#tag", "$TSLA") appended to *tags.
template <class V>
void add_tags(const V& entities, const char* list, const char* field,
              char sign, const Path& ep, std::vector<std::string>* tags) {
  each_object(entities, list, ep, [&](const V& h, const Path& p) {
    std::string s = take_string(require(h, field, p), member(p, field));
    s.insert(s.begin(), sign);
    tags->push_back(std::move(s));
  });
}

// A point [x, y]: an array of exactly two numbers.
template <class V>
std::pair<double, double> to_point(const V& v, const Path& p) {
  if (v.kind() != JsonKind::kArray || v.size() != 2)
    throw LoadError(
        ErrorKind::kBadInput,
        "field \"" + to_string(p) + "\" must be an array of 2 numbers");
  return {to_double(v.element(0), element(p, 0)),
          to_double(v.element(1), element(p, 1))};
}

}  // namespace fields
}  // namespace tweet_loader
