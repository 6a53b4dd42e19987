// parse_tweet: one JSON line to the row values of a tweet (see tweet.h for
// the rules). The line is parsed into a JsonTree and the tweet read from it
// through TreeView; lines the tree cannot hand on exactly go through
// nlohmann's parser into a DOM, read through DomView (nlohmann_dom.h),
// which also gives the messages for invalid JSON. map_tweet() below is the
// one place that knows which field goes where, written once for both views.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "errors.h"
#include "json_tree.h"
#include "json_view.h"
#include "nlohmann_dom.h"
#include "tweet.h"

namespace tweet_loader {
namespace {

// Top-level members of a stream message that is not a tweet.
constexpr const char* kStreamKeys[] = {
    "delete",        "scrub_geo",   "limit",          "status_withheld",
    "user_withheld", "disconnect",  "warning",        "event",
    "friends",       "friends_str", "direct_message", "control",
    "for_user"};

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

// The string (moved out of a DOM, which is thrown away afterwards).
template <class V>
std::string take_string(const V& v, const Path& p) {
  if (v.kind() != JsonKind::kString) fail_type(p, kAString, v);
  return v.take_string();
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

template <class V>
int64_t to_time(const V& v, const Path& p) {
  const std::string s = take_string(v, p);
  try {
    return parse_twitter_time(s);
  } catch (const LoadError&) {
    throw LoadError(ErrorKind::kBadInput, "value \"" + shorten(s) +
                                              "\" of field \"" + to_string(p) +
                                              "\" is not a Twitter time");
  }
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

// ---------------------------------------------------------------------------
// The mapping.

template <class V>
void map_author(const V& u, const Path& up, User* a) {
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
// coordinates (or an absent value) for the geometry.
template <class V>
V map_place(const V& doc, const Path& root, Tweet* t) {
  const V place = opt_object(doc, "place", root);
  if (!place) return V();
  const Path pp = member(root, "place");
  opt_string(place, "country_code", pp, &t->country_code);
  if (t->country_code) {
    ascii_lower(&*t->country_code);
    check_code(*t->country_code, member(pp, "country_code"));
  }
  opt_string(place, "full_name", pp, &t->place_name);
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
  const V box = opt_object(place, "bounding_box", pp);
  if (!box) return V();
  return opt_array(box, "coordinates", member(pp, "bounding_box"));
}

template <class V>
void map_geo(const V& doc, const Path& root, const V& box, Tweet* t) {
  Geo& g = t->geo;
  if (const V geo = opt_object(doc, "geo", root)) {
    const Path gp = member(root, "geo");
    if (const V c = opt_array(geo, "coordinates", gp)) {
      const auto xy = to_point(c, member(gp, "coordinates"));
      g.kind = Geo::Kind::kPoint;
      g.x = xy.first;
      g.y = xy.second;
      return;
    }
  }
  if (!box) return;
  const Path pp = member(root, "place");
  const Path bp = member(pp, "bounding_box");
  const Path cp = member(bp, "coordinates");
  if (box.size() == 0)
    throw LoadError(
        ErrorKind::kBadInput,
        "field \"" + to_string(cp) + "\" must be a non-empty array of rings");
  g.rings.reserve(box.size());
  for (size_t r = 0; r < box.size(); ++r) {
    const Path rp = element(cp, r);
    const V ring = box.element(r);
    if (ring.kind() != JsonKind::kArray || ring.size() == 0)
      throw LoadError(ErrorKind::kBadInput,
                      "field \"" + to_string(rp) +
                          "\" must be a non-empty array of points");
    g.rings.emplace_back();
    auto& out = g.rings.back();
    out.reserve(ring.size() + 1);
    for (size_t i = 0; i < ring.size(); ++i)
      out.push_back(to_point(ring.element(i), element(rp, i)));
    // The ring ends with its first point once more, always, as the
    // assignment builds it: Twitter's boxes are 4 open corners and get a
    // 5th point, and so does a POI's box of 4 equal corners.
    out.push_back(out.front());
  }
  g.kind = Geo::Kind::kMultiPolygon;
}

template <class V>
void map_tweet(const V& doc, Tweet* t) {
  const Path root;
  t->id = to_int64(require(doc, "id", root), member(root, "id"));
  {
    const V user = require(doc, "user", root);
    const Path up = member(root, "user");
    if (user.kind() != JsonKind::kObject) fail_type(up, kAnObject, user);
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
  const V ext = opt_object(doc, "extended_tweet", root);
  const Path ep = member(root, "extended_tweet");
  const V holder = ext ? ext : doc;  // the object holding (extended_)entities
  const Path& hp = ext ? ep : root;
  if (ext) {
    opt_string(ext, "full_text", ep, &t->text);
  } else {
    // The REST API with tweet_mode=extended writes the whole text as a
    // top-level full_text (and no text); the streaming API writes text.
    std::optional<std::string> text;
    opt_string(doc, "text", root, &text);
    opt_string(doc, "full_text", root, &t->text);
    if (!t->text) t->text = std::move(text);
  }
  const V entities = opt_object(holder, "entities", hp);
  const Path np = member(hp, "entities");
  const V extended = opt_object(holder, "extended_entities", hp);
  const Path xp = member(hp, "extended_entities");

  each_object(entities, "hashtags", np, [&](const V& h, const Path& p) {
    std::string s = take_string(require(h, "text", p), member(p, "text"));
    s.insert(s.begin(), '#');
    t->tags.push_back(std::move(s));
  });
  each_object(entities, "symbols", np, [&](const V& h, const Path& p) {
    std::string s = take_string(require(h, "text", p), member(p, "text"));
    s.insert(s.begin(), '$');
    t->tags.push_back(std::move(s));
  });
  each_object(entities, "user_mentions", np, [&](const V& m, const Path& p) {
    t->mentions.emplace_back();
    User& u = t->mentions.back();
    u.id = to_int64(require(m, "id", p), member(p, "id"));
    opt_string(m, "name", p, &u.name);
    opt_string(m, "screen_name", p, &u.screen_name);
  });
  each_object(entities, "urls", np, [&](const V& u, const Path& p) {
    if (const V v = find(u, "expanded_url"))
      t->urls.push_back(take_string(v, member(p, "expanded_url")));
  });
  each_object(extended, "media", xp, [&](const V& m, const Path& p) {
    t->media.emplace_back();
    Media& md = t->media.back();
    md.url = take_string(require(m, "media_url", p), member(p, "media_url"));
    md.type = take_string(require(m, "type", p), member(p, "type"));
  });

  const V box = map_place(doc, root, t);
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

// A stream message (a stream key, and none of id, created_at and user), or
// the tweet of the object doc.
template <class V>
LineKind map_document(const V& doc, Tweet* out) {
  if (!doc.member("id") && !doc.member("created_at") && !doc.member("user"))
    for (const char* key : kStreamKeys)
      if (doc.member(key)) return LineKind::kNotTweet;
  map_tweet(doc, out);
  return LineKind::kTweet;
}

}  // namespace

LineKind parse_tweet_keeping_tree(std::string_view line, JsonTree* tree,
                                  Tweet* out) {
  const bool parsed = tree->parse(line);
  if (parsed && !tree->key_lost_nul() && !tree->huge_number() &&
      tree->root().type == JsonTree::Type::kObject) {
    reset(out);
    return map_document(TreeView(tree, &tree->root()), out);
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
  // nlohmann would skip a byte order mark, which only the start of a file
  // may hold (LineReader drops that one); the tree refuses it too.
  if (line.substr(0, 3) == "\xEF\xBB\xBF")
    throw LoadError(ErrorKind::kBadInput,
                    "invalid JSON: a byte order mark (U+FEFF) starts the "
                    "line (only the start of a file or zip member may have "
                    "one)");
  Json doc;
  parse_dom(line, &doc);
  return map_document(DomView(&doc), out);
}

}  // namespace tweet_loader
