// parse_tweet: one JSON line to the row values of a tweet (see tweet.h for
// the rules). The line is parsed into a JsonTree, whose members the mapping
// reads are replayed into an nlohmann DOM; lines the tree cannot hand on
// exactly go through nlohmann's own SAX parser into the same DOM, which
// also gives the error messages for invalid JSON. map_tweet() below is the
// one place that knows which field goes where.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "json_tree.h"
#include "tweet.h"

namespace tweet_loader {
namespace {

using json = nlohmann::json;

// Top-level members of a stream message that is not a tweet.
constexpr std::string_view kStreamKeys[] = {
    "delete",        "scrub_geo",   "limit",          "status_withheld",
    "user_withheld", "disconnect",  "warning",        "event",
    "friends",       "friends_str", "direct_message", "control",
    "for_user"};

// Top-level members map_tweet() reads; the parser drops all others
// (retweeted_status, quoted_status, ... are about half of a line's bytes).
// Keep in step with map_tweet().
constexpr std::string_view kTweetKeys[] = {"id",
                                           "created_at",
                                           "user",
                                           "text",
                                           "extended_tweet",
                                           "entities",
                                           "extended_entities",
                                           "geo",
                                           "place",
                                           "in_reply_to_status_id",
                                           "in_reply_to_user_id",
                                           "in_reply_to_screen_name",
                                           "quoted_status_id",
                                           "retweet_count",
                                           "favorite_count",
                                           "quote_count",
                                           "withheld_copyright",
                                           "withheld_in_countries",
                                           "source",
                                           "lang"};

// Members of "user" map_author() reads; the parser drops the others
// (profile colours, image URLs, ...). Keep in step with map_author().
constexpr std::string_view kUserKeys[] = {"id",
                                          "screen_name",
                                          "name",
                                          "location",
                                          "description",
                                          "url",
                                          "created_at",
                                          "friends_count",
                                          "listed_count",
                                          "favourites_count",
                                          "statuses_count",
                                          "protected",
                                          "verified",
                                          "withheld_in_countries"};

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else
    return 0;
  if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

// Replaces bytes that are not valid UTF-8 (nlohmann's "last read: '...'"
// may cut a character) and NULs by '?', so a message is always valid text.
void make_printable(std::string* s) {
  for (size_t i = 0; i < s->size();) {
    const size_t n = utf8_sequence(*s, i);
    if (n == 0 || (*s)[i] == '\0') {
      (*s)[i] = '?';
      i += 1;
    } else {
      i += n;
    }
  }
}

template <size_t N>
bool contains(const std::string_view (&keys)[N], std::string_view key) {
  for (std::string_view k : keys)
    if (k == key) return true;
  return false;
}

// A SAX handler that builds the DOM of a JSON object line, enforcing the
// depth limit before anything is nested deeper, dropping unread top-level
// members, and keeping the text of integers too large for 64 bits (nlohmann
// turns them into doubles) as a binary value, which JSON text cannot
// otherwise produce. Strings are moved, not copied, into the DOM.
class DomBuilder {
 public:
  explicit DomBuilder(json* root) : root_(root) { stack_.reserve(16); }

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(json::number_integer_t v) { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(v); }
  bool number_float(json::number_float_t v, const json::string_t& text) {
    if (skipping()) return skip_scalar();
    if (text.find_first_of(".eE") == std::string::npos)
      return value(
          json::binary(std::vector<std::uint8_t>(text.begin(), text.end())));
    return value(v);
  }
  bool string(json::string_t& v) {
    if (skipping()) return skip_scalar();
    return value(std::move(v));
  }
  bool binary(json::binary_t&) { return value(nullptr); }  // not in JSON text

  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    if (skipping()) return true;
    if (depth_ == 1) {
      if (contains(kStreamKeys, k)) has_stream_key_ = true;
      if (!contains(kTweetKeys, k)) {
        skip_base_ = 1;
        return true;
      }
      in_user_ = k == "user";
    } else if (depth_ == 2 && in_user_ && !contains(kUserKeys, k)) {
      skip_base_ = 2;
      return true;
    }
    slot_ = &stack_.back()->get_ref<json::object_t&>()[std::move(k)];
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const json::exception& ex) {
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
    make_printable(&error_);
    return false;
  }

  bool too_deep() const { return too_deep_; }
  bool root_is_object() const { return root_is_object_; }
  bool has_stream_key() const { return has_stream_key_; }
  const std::string& error() const { return error_; }
  // Whether the value that comes next is dropped.
  bool skipping() const { return skip_base_ >= 0; }

 private:
  // A scalar while skipping: the skipped value ends if it was this scalar.
  bool skip_scalar() {
    if (depth_ == skip_base_) skip_base_ = -1;
    return true;
  }

  // Stores a scalar or a new container where the parser is; returns it.
  template <class V>
  json* put(V&& v) {
    if (stack_.empty()) {
      *root_ = json(std::forward<V>(v));
      return root_;
    }
    json* top = stack_.back();
    if (top->is_array()) {
      auto& array = top->get_ref<json::array_t&>();
      array.emplace_back(std::forward<V>(v));
      return &array.back();
    }
    *slot_ = json(std::forward<V>(v));
    return slot_;
  }

  template <class V>
  bool value(V&& v) {
    if (depth_ == 0) skip_base_ = 0;  // a root that is not an object
    if (skipping()) return skip_scalar();
    put(std::forward<V>(v));
    return true;
  }

  bool open(json::value_t type) {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    if (depth_ == 1) {
      if (type == json::value_t::object)
        root_is_object_ = true;
      else
        skip_base_ = 0;
    }
    if (skipping()) return true;
    stack_.push_back(put(type));
    return true;
  }

  bool close() {
    --depth_;
    if (skipping()) return skip_scalar();
    stack_.pop_back();
    return true;
  }

  json* root_;
  std::vector<json*> stack_;  // open containers of the DOM
  json* slot_ = nullptr;      // the object member the next value goes to
  int depth_ = 0;             // containers open in the text
  int skip_base_ = -1;  // >= 0: dropping the value that opens at this depth
  bool too_deep_ = false;
  bool root_is_object_ = false;
  bool has_stream_key_ = false;
  bool in_user_ = false;  // inside the top-level member "user"
  std::string error_;
};

// ---------------------------------------------------------------------------
// Field access with messages that name the field path.

// Where a value sits: "user.id", "entities.hashtags[2].text". Built as a
// chain on the stack; turned into text only for an error message.
struct Path {
  const Path* parent = nullptr;
  const char* key = nullptr;  // member name; nullptr: array element `index`
  size_t index = 0;
};

std::string to_string(const Path& p) {
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

Path member(const Path& parent, const char* key) {
  return Path{&parent, key, 0};
}
Path element(const Path& parent, size_t i) { return Path{&parent, nullptr, i}; }

// At most 60 bytes of a string for a message, cut on a character boundary.
std::string shorten(std::string_view s) {
  if (s.size() <= 60) return std::string(s);
  size_t cut = 60;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

// "a string", "null", ... for "must be an integer, not a string".
const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::number_float:
      return "a float";
    default:
      return "a number";  // integers, and integers beyond 64 bits
  }
}

[[noreturn]] void fail_type(const Path& p, const char* wanted, const json& v) {
  throw LoadError(ErrorKind::kBadInput, "field \"" + to_string(p) +
                                            "\" must be " + wanted + ", not " +
                                            type_name(v));
}

[[noreturn]] void fail_range(const Path& p, const std::string& value,
                             const char* type) {
  throw LoadError(ErrorKind::kOutOfRange,
                  "value " + value + " of field \"" + to_string(p) +
                      "\" is out of range for type " + type);
}

[[noreturn]] void fail_missing(const Path& p) {
  throw LoadError(ErrorKind::kBadInput,
                  "tweet has no \"" + to_string(p) + "\"");
}

// "an object" etc. for type messages.
const char* const kAnInteger = "an integer";
const char* const kAString = "a string";
const char* const kABoolean = "a boolean";
const char* const kAnObject = "an object";
const char* const kAnArray = "an array";
const char* const kANumber = "a number";

// The member, or nullptr when it is absent or null.
json* find(json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

// A required member (may be null: the conversion then names the type).
json& require(json& obj, const char* key, const Path& parent) {
  auto it = obj.find(key);
  if (it == obj.end()) fail_missing(member(parent, key));
  return *it;
}

// An integer that must lie in [lo, hi] (the range of SQL type sql_type).
int64_t to_int(const json& v, const Path& p, int64_t lo, int64_t hi,
               const char* sql_type) {
  switch (v.type()) {
    case json::value_t::number_integer: {
      const int64_t i = v.get<int64_t>();
      if (i < lo || i > hi) fail_range(p, std::to_string(i), sql_type);
      return i;
    }
    case json::value_t::number_unsigned: {
      const uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(hi))
        fail_range(p, std::to_string(u), sql_type);
      return static_cast<int64_t>(u);
    }
    case json::value_t::binary: {  // integer text beyond 64 bits
      const auto& digits = v.get_binary();
      fail_range(p, std::string(digits.begin(), digits.end()), sql_type);
    }
    default:
      fail_type(p, kAnInteger, v);
  }
}

int64_t to_int64(const json& v, const Path& p) {
  return to_int(v, p, std::numeric_limits<int64_t>::min(),
                std::numeric_limits<int64_t>::max(), "bigint");
}

// A number as a double (integers too; digits beyond 64 bits via strtod).
double to_double(const json& v, const Path& p) {
  switch (v.type()) {
    case json::value_t::number_integer:
      return static_cast<double>(v.get<int64_t>());
    case json::value_t::number_unsigned:
      return static_cast<double>(v.get<uint64_t>());
    case json::value_t::number_float:
      return v.get<double>();
    case json::value_t::binary: {
      const auto& digits = v.get_binary();
      return std::strtod(std::string(digits.begin(), digits.end()).c_str(),
                         nullptr);
    }
    default:
      fail_type(p, kANumber, v);
  }
}

// Removes every U+0000 (nlohmann decodes "\u0000" to a NUL char).
void erase_nuls(std::string* s) {
  if (std::memchr(s->data(), '\0', s->size()) != nullptr)
    s->erase(std::remove(s->begin(), s->end(), '\0'), s->end());
}

// The string, moved out of the DOM (the DOM is thrown away afterwards).
std::string take_string(json& v, const Path& p) {
  if (!v.is_string()) fail_type(p, kAString, v);
  std::string& s = v.get_ref<std::string&>();
  erase_nuls(&s);
  return std::move(s);
}

// Number of characters of UTF-8 text (the parser has validated it).
size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A varchar(2) value: at most 2 characters.
void check_code(const std::string& s, const Path& p) {
  if (utf8_length(s) > 2)
    throw LoadError(ErrorKind::kOutOfRange,
                    "value \"" + shorten(s) + "\" of field \"" + to_string(p) +
                        "\" is too long for type character varying(2)");
}

void ascii_lower(std::string* s) {
  for (char& c : *s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

// Optional members: absent or null leaves `out` empty; a present value of
// the wrong type throws.

json* opt_object(json& obj, const char* key, const Path& parent) {
  json* v = find(obj, key);
  if (v != nullptr && !v->is_object())
    fail_type(member(parent, key), kAnObject, *v);
  return v;
}

json* opt_array(json& obj, const char* key, const Path& parent) {
  json* v = find(obj, key);
  if (v != nullptr && !v->is_array())
    fail_type(member(parent, key), kAnArray, *v);
  return v;
}

void opt_string(json& obj, const char* key, const Path& parent,
                std::optional<std::string>* out) {
  if (json* v = find(obj, key))
    out->emplace(take_string(*v, member(parent, key)));
}

template <class T>
void opt_int(json& obj, const char* key, const Path& parent,
             const char* sql_type, std::optional<T>* out) {
  if (json* v = find(obj, key))
    *out = static_cast<T>(to_int(*v, member(parent, key),
                                 std::numeric_limits<T>::min(),
                                 std::numeric_limits<T>::max(), sql_type));
}

void opt_int16(json& obj, const char* key, const Path& parent,
               std::optional<int16_t>* out) {
  opt_int(obj, key, parent, "smallint", out);
}
void opt_int32(json& obj, const char* key, const Path& parent,
               std::optional<int32_t>* out) {
  opt_int(obj, key, parent, "integer", out);
}
void opt_int64(json& obj, const char* key, const Path& parent,
               std::optional<int64_t>* out) {
  opt_int(obj, key, parent, "bigint", out);
}

void opt_bool(json& obj, const char* key, const Path& parent,
              std::optional<bool>* out) {
  if (json* v = find(obj, key)) {
    if (!v->is_boolean()) fail_type(member(parent, key), kABoolean, *v);
    *out = v->get<bool>();
  }
}

int64_t to_time(json& v, const Path& p) {
  const std::string s = take_string(v, p);
  try {
    return parse_twitter_time(s);
  } catch (const LoadError&) {
    throw LoadError(ErrorKind::kBadInput, "value \"" + shorten(s) +
                                              "\" of field \"" + to_string(p) +
                                              "\" is not a Twitter time");
  }
}

void opt_time(json& obj, const char* key, const Path& parent,
              std::optional<int64_t>* out) {
  if (json* v = find(obj, key)) *out = to_time(*v, member(parent, key));
}

// withheld_in_countries: an array of strings of at most 2 characters.
void opt_codes(json& obj, const char* key, const Path& parent,
               std::optional<std::vector<std::string>>* out) {
  json* a = opt_array(obj, key, parent);
  if (a == nullptr) return;
  const Path ap = member(parent, key);
  out->emplace();
  (*out)->reserve(a->size());
  size_t i = 0;
  for (json& v : *a) {
    const Path p = element(ap, i++);
    (*out)->push_back(take_string(v, p));
    check_code((*out)->back(), p);
  }
}

// Calls f(element, path) for each element of the optional array obj[key],
// which must be objects.
template <class F>
void each_object(json* obj, const char* key, const Path& parent, F f) {
  if (obj == nullptr) return;
  json* a = opt_array(*obj, key, parent);
  if (a == nullptr) return;
  const Path ap = member(parent, key);
  size_t i = 0;
  for (json& v : *a) {
    const Path p = element(ap, i++);
    if (!v.is_object()) fail_type(p, kAnObject, v);
    f(v, p);
  }
}

// A point [x, y]: an array of exactly two numbers.
std::pair<double, double> to_point(const json& v, const Path& p) {
  if (!v.is_array() || v.size() != 2)
    throw LoadError(
        ErrorKind::kBadInput,
        "field \"" + to_string(p) + "\" must be an array of 2 numbers");
  return {to_double(v[0], element(p, 0)), to_double(v[1], element(p, 1))};
}

// ---------------------------------------------------------------------------
// The mapping.

void map_author(json& u, const Path& up, User* a) {
  a->full = true;
  a->id = to_int64(require(u, "id", up), member(up, "id"));
  opt_string(u, "screen_name", up, &a->screen_name);
  opt_string(u, "name", up, &a->name);
  opt_string(u, "location", up, &a->location);
  opt_string(u, "description", up, &a->description);
  opt_string(u, "url", up, &a->url);
  opt_time(u, "created_at", up, &a->created_at);
  opt_int32(u, "friends_count", up, &a->friends_count);
  opt_int32(u, "listed_count", up, &a->listed_count);
  opt_int32(u, "favourites_count", up, &a->favourites_count);
  opt_int32(u, "statuses_count", up, &a->statuses_count);
  opt_bool(u, "protected", up, &a->is_protected);
  opt_bool(u, "verified", up, &a->verified);
  opt_codes(u, "withheld_in_countries", up, &a->withheld_in_countries);
}

// place: country_code, place_name, state_code; returns the bounding box
// coordinates (or nullptr) for the geometry.
json* map_place(json& doc, const Path& root, Tweet* t) {
  json* place = opt_object(doc, "place", root);
  if (place == nullptr) return nullptr;
  const Path pp = member(root, "place");
  opt_string(*place, "country_code", pp, &t->country_code);
  if (t->country_code) {
    ascii_lower(&*t->country_code);
    check_code(*t->country_code, member(pp, "country_code"));
  }
  opt_string(*place, "full_name", pp, &t->place_name);
  if (t->country_code == "us" && t->place_name) {
    // The last comma-separated part of "Austin, TX", trimmed and lower-cased,
    // when it has at most 2 characters.
    std::string_view s = *t->place_name;
    const size_t comma = s.rfind(',');
    if (comma != std::string_view::npos) s.remove_prefix(comma + 1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (utf8_length(s) <= 2) {
      t->state_code.emplace(s);
      ascii_lower(&*t->state_code);
    }
  }
  json* box = opt_object(*place, "bounding_box", pp);
  if (box == nullptr) return nullptr;
  return opt_array(*box, "coordinates", member(pp, "bounding_box"));
}

void map_geo(json& doc, const Path& root, json* box, Tweet* t) {
  Geo& g = t->geo;
  if (json* geo = opt_object(doc, "geo", root)) {
    const Path gp = member(root, "geo");
    if (json* c = opt_array(*geo, "coordinates", gp)) {
      const auto xy = to_point(*c, member(gp, "coordinates"));
      g.kind = Geo::Kind::kPoint;
      g.x = xy.first;
      g.y = xy.second;
      return;
    }
  }
  if (box == nullptr) return;
  const Path pp = member(root, "place");
  const Path bp = member(pp, "bounding_box");
  const Path cp = member(bp, "coordinates");
  if (box->empty())
    throw LoadError(
        ErrorKind::kBadInput,
        "field \"" + to_string(cp) + "\" must be a non-empty array of rings");
  g.rings.reserve(box->size());
  size_t r = 0;
  for (const json& ring : *box) {
    const Path rp = element(cp, r++);
    if (!ring.is_array() || ring.empty())
      throw LoadError(ErrorKind::kBadInput,
                      "field \"" + to_string(rp) +
                          "\" must be a non-empty array of points");
    g.rings.emplace_back();
    auto& out = g.rings.back();
    out.reserve(ring.size() + 1);
    size_t i = 0;
    for (const json& pt : ring) out.push_back(to_point(pt, element(rp, i++)));
    // Close the ring by repeating its first point, unless it already ends
    // with it. Twitter's boxes are 4 open corners and get a 5th point; a
    // ring given closed stays as it is (also a point-like box of 4 equal
    // corners, which is closed already).
    if (out.back() != out.front()) out.push_back(out.front());
  }
  g.kind = Geo::Kind::kMultiPolygon;
}

void map_tweet(json& doc, Tweet* t) {
  const Path root;
  t->id = to_int64(require(doc, "id", root), member(root, "id"));
  {
    json& user = require(doc, "user", root);
    const Path up = member(root, "user");
    if (!user.is_object()) fail_type(up, kAnObject, user);
    t->created_at =
        to_time(require(doc, "created_at", root), member(root, "created_at"));
    map_author(user, up, &t->author);
  }

  opt_int64(doc, "in_reply_to_status_id", root, &t->in_reply_to_status_id);
  opt_int64(doc, "in_reply_to_user_id", root, &t->in_reply_to_user_id);
  opt_int64(doc, "quoted_status_id", root, &t->quoted_status_id);
  opt_int16(doc, "retweet_count", root, &t->retweet_count);
  opt_int16(doc, "favorite_count", root, &t->favorite_count);
  opt_int16(doc, "quote_count", root, &t->quote_count);
  opt_bool(doc, "withheld_copyright", root, &t->withheld_copyright);
  opt_codes(doc, "withheld_in_countries", root, &t->withheld_in_countries);
  opt_string(doc, "source", root, &t->source);
  opt_string(doc, "lang", root, &t->lang);

  if (t->in_reply_to_user_id) {
    t->reply_to.emplace();
    t->reply_to->id = *t->in_reply_to_user_id;
    opt_string(doc, "in_reply_to_screen_name", root, &t->reply_to->screen_name);
  }

  // Text and entities come from extended_tweet when there is one, with no
  // fall back to the top level for what it lacks.
  json* ext = opt_object(doc, "extended_tweet", root);
  const Path ep = member(root, "extended_tweet");
  json* holder = ext ? ext : &doc;  // the object holding (extended_)entities
  const Path& hp = ext ? ep : root;
  opt_string(*holder, ext ? "full_text" : "text", hp, &t->text);
  json* entities = opt_object(*holder, "entities", hp);
  const Path np = member(hp, "entities");
  json* extended = opt_object(*holder, "extended_entities", hp);
  const Path xp = member(hp, "extended_entities");

  each_object(entities, "hashtags", np, [&](json& h, const Path& p) {
    std::string s = take_string(require(h, "text", p), member(p, "text"));
    s.insert(s.begin(), '#');
    t->tags.push_back(std::move(s));
  });
  each_object(entities, "symbols", np, [&](json& h, const Path& p) {
    std::string s = take_string(require(h, "text", p), member(p, "text"));
    s.insert(s.begin(), '$');
    t->tags.push_back(std::move(s));
  });
  each_object(entities, "user_mentions", np, [&](json& m, const Path& p) {
    t->mentions.emplace_back();
    User& u = t->mentions.back();
    u.id = to_int64(require(m, "id", p), member(p, "id"));
    opt_string(m, "name", p, &u.name);
    opt_string(m, "screen_name", p, &u.screen_name);
  });
  each_object(entities, "urls", np, [&](json& u, const Path& p) {
    if (json* v = find(u, "expanded_url"))
      t->urls.push_back(take_string(*v, member(p, "expanded_url")));
  });
  each_object(extended, "media", xp, [&](json& m, const Path& p) {
    t->media.emplace_back();
    Media& md = t->media.back();
    md.url = take_string(require(m, "media_url", p), member(p, "media_url"));
    md.type = take_string(require(m, "type", p), member(p, "type"));
  });

  json* box = map_place(doc, root, t);
  map_geo(doc, root, box, t);
}

// Empties *t, keeping the capacity of its lists for the next tweet.
void reset(Tweet* t) {
  std::vector<User> mentions = std::move(t->mentions);
  std::vector<std::string> urls = std::move(t->urls);
  std::vector<std::string> tags = std::move(t->tags);
  std::vector<Media> media = std::move(t->media);
  mentions.clear();
  urls.clear();
  tags.clear();
  media.clear();
  *t = Tweet();
  t->mentions = std::move(mentions);
  t->urls = std::move(urls);
  t->tags = std::move(tags);
  t->media = std::move(media);
}

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

// A stream message, or the tweet of the object the builder made.
LineKind map_document(const DomBuilder& builder, json& doc, Tweet* out) {
  if (builder.has_stream_key() && !doc.contains("id") &&
      !doc.contains("created_at") && !doc.contains("user"))
    return LineKind::kNotTweet;
  map_tweet(doc, out);
  return LineKind::kTweet;
}

// Parses text (a whole line, or its compacted form) into *out.
LineKind parse_json_line(std::string_view line, Tweet* out) {
  json doc;
  DomBuilder builder(&doc);
  const bool ok =
      json::sax_parse(line.data(), line.data() + line.size(), &builder);
  if (builder.too_deep())
    throw LoadError(ErrorKind::kTooDeep, "JSON value is nested deeper than " +
                                             std::to_string(kMaxJsonDepth) +
                                             " levels");
  if (!ok)
    throw LoadError(ErrorKind::kBadInput, "invalid JSON: " + builder.error());
  if (!builder.root_is_object())
    throw LoadError(ErrorKind::kBadInput, "JSON value is not an object");
  return map_document(builder, doc, out);
}

// ---------------------------------------------------------------------------
// Reading a tweet from a JsonTree (denormalized loads then write the same
// tree as jsonb): the tree is replayed into the DomBuilder as nlohmann's
// parser would feed it, members the builder drops replayed as null. What
// the replay cannot reproduce exactly (keys or strings that held \u0000,
// which the tree drops; a number beyond a double, which nlohmann reports
// wherever it is; invalid JSON, whose message nlohmann words) sends the
// line to nlohmann's parser.

// nlohmann's lexer: an integer that fits 64 bits (unsigned, or signed with a
// '-') is an integer, any other number a double along with its text.
bool replay_number(std::string_view text, DomBuilder* b) {
  thread_local std::string s;
  s.assign(text);
  char* end = nullptr;
  if (s.find_first_of(".eE") == std::string::npos) {
    errno = 0;
    if (s[0] == '-') {
      const long long v = std::strtoll(s.c_str(), &end, 10);
      if (errno == 0) return b->number_integer(v);
    } else {
      const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
      if (errno == 0) return b->number_unsigned(v);
    }
  }
  const double v = std::strtod(s.c_str(), &end);
  if (!std::isfinite(v)) return false;
  return b->number_float(v, s);
}

// The members map_tweet() reads inside the top-level objects it reads
// (entities, place, ...), each with what it reads inside in turn (nullptr:
// all of it); an array's elements are read like the array. The replay
// hands the DomBuilder nothing else: media sizes, indices, place
// attributes and the like are as if absent. Keep in step with map_tweet().
struct Reads {
  std::string_view key;
  const Reads* below = nullptr;
};
constexpr Reads kEnd{};
constexpr Reads kTagReads[] = {{"text"}, kEnd};
constexpr Reads kMentionReads[] = {{"id"}, {"name"}, {"screen_name"}, kEnd};
constexpr Reads kUrlReads[] = {{"expanded_url"}, kEnd};
constexpr Reads kMediaReads[] = {{"media_url"}, {"type"}, kEnd};
constexpr Reads kEntitiesReads[] = {{"hashtags", kTagReads},
                                    {"symbols", kTagReads},
                                    {"user_mentions", kMentionReads},
                                    {"urls", kUrlReads},
                                    kEnd};
constexpr Reads kExtendedEntitiesReads[] = {{"media", kMediaReads}, kEnd};
constexpr Reads kExtendedTweetReads[] = {
    {"full_text"},
    {"entities", kEntitiesReads},
    {"extended_entities", kExtendedEntitiesReads},
    kEnd};
constexpr Reads kBoxReads[] = {{"coordinates"}, kEnd};
constexpr Reads kPlaceReads[] = {
    {"country_code"}, {"full_name"}, {"bounding_box", kBoxReads}, kEnd};
constexpr Reads kGeoReads[] = {{"coordinates"}, kEnd};
constexpr Reads kTopReads[] = {{"entities", kEntitiesReads},
                               {"extended_entities", kExtendedEntitiesReads},
                               {"extended_tweet", kExtendedTweetReads},
                               {"place", kPlaceReads},
                               {"geo", kGeoReads},
                               kEnd};

const Reads* find_reads(const Reads* reads, std::string_view key) {
  for (; !reads->key.empty(); ++reads)
    if (reads->key == key) return reads;
  return nullptr;
}

// Replays node n; reads: what is read inside it (nullptr: everything). At
// the top every member goes to the builder, which drops those it does not
// keep (and notes stream messages).
bool replay(const JsonTree& tree, const JsonTree::Node& n, DomBuilder* b,
            const Reads* reads, bool top = false) {
  switch (n.type) {
    case JsonTree::Type::kNull:
      return b->null();
    case JsonTree::Type::kFalse:
      return b->boolean(false);
    case JsonTree::Type::kTrue:
      return b->boolean(true);
    case JsonTree::Type::kString: {
      std::string v(JsonTree::text_of(n));
      return b->string(v);
    }
    case JsonTree::Type::kNumber:
      return replay_number(JsonTree::text_of(n), b);
    case JsonTree::Type::kArray:
      if (!b->start_array(n.count)) return false;
      for (uint32_t i = 0; i < n.count; ++i)
        if (!replay(tree, tree.node(tree.entry(n.first + i)), b, reads))
          return false;
      return b->end_array();
    case JsonTree::Type::kObject:
      if (!b->start_object(n.count)) return false;
      for (uint32_t i = 0; i < n.count; ++i) {
        const std::string_view name =
            JsonTree::text_of(tree.node(tree.entry(n.first + 2 * i)));
        const Reads* read = reads ? find_reads(reads, name) : nullptr;
        if (reads && !read && !top) continue;  // never read
        std::string key(name);
        if (!b->key(key)) return false;
        const JsonTree::Node& value = tree.node(tree.entry(n.first + 2 * i + 1));
        if (b->skipping() ? !b->null()
                          : !replay(tree, value, b, read ? read->below : nullptr))
          return false;
      }
      return b->end_object();
  }
  return false;
}

}  // namespace

LineKind parse_tweet_keeping_tree(std::string_view line, JsonTree* tree,
                                  Tweet* out) {
  const bool parsed = tree->parse(line);
  if (parsed && !tree->dropped_nul() && !tree->huge_number() &&
      tree->root().type == JsonTree::Type::kObject) {
    reset(out);
    json doc;
    DomBuilder builder(&doc);
    if (replay(*tree, tree->root(), &builder, kTopReads, true))
      return map_document(builder, doc, out);
  }
  const LineKind kind = parse_tweet_with_nlohmann(line, out);
  // Text the tree refuses is never a tweet (nlohmann refuses it too).
  if (!parsed && kind == LineKind::kTweet)
    throw LoadError(ErrorKind::kBadInput, "invalid JSON");
  return kind;
}

LineKind parse_tweet(std::string_view line, Tweet* out) {
  thread_local JsonTree tree;
  return parse_tweet_keeping_tree(line, &tree, out);
}

LineKind parse_tweet_with_nlohmann(std::string_view line, Tweet* out) {
  reset(out);
  if (is_blank(line)) return LineKind::kNotTweet;
  return parse_json_line(line, out);
}

}  // namespace tweet_loader
