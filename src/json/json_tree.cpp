// JsonTree: a strict JSON parser (RFC 8259, as PostgreSQL's json lexer
// takes it) into a flat tree in jsonb's member order.
#include "json/json_tree.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "utf8.h"

namespace tweet_loader {
namespace {

struct Invalid {};  // thrown inside the parser, caught by parse()

bool is_json_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char* skip_json_ws(const char* p, const char* e) {
  while (p < e && is_json_ws(*p)) ++p;
  return p;
}

// The four hex digits of a \u escape at p, or false.
bool hex4(const char* p, const char* e, unsigned* out) {
  if (e - p < 4) return false;
  unsigned v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<unsigned>(c - 'A' + 10);
    else
      return false;
  }
  *out = v;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first byte at or after p that ends a run of plain string bytes: '"',
// '\\' or a control character (below 0x20); e if there is none. Eight bytes
// at a time: for each test, the lowest byte flagged is the first true one.
const char* find_string_special(const char* p, const char* e) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr uint64_t kOnes = 0x0101010101010101u;
  constexpr uint64_t kHighs = 0x8080808080808080u;
  while (e - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    const uint64_t quote = w ^ (kOnes * '"');
    const uint64_t backslash = w ^ (kOnes * '\\');
    const uint64_t found = (((quote - kOnes) & ~quote) |
                            ((backslash - kOnes) & ~backslash) |
                            ((w - kOnes * 0x20) & ~w)) &
                           kHighs;
    if (found != 0) return p + (__builtin_ctzll(found) >> 3);
    p += 8;
  }
#endif
  while (p < e && *p != '"' && *p != '\\' &&
         static_cast<unsigned char>(*p) >= 0x20)
    ++p;
  return p;
}

}  // namespace

bool JsonTree::parse(std::string_view text) {
  nodes_.clear();
  entries_.clear();
  stack_.clear();
  strings_.clear();
  key_lost_nul_ = false;
  huge_number_ = false;
  source_ = text;
  if (text.size() >= UINT32_MAX) return false;  // sizes are 32 bits here
  // Decoded strings are never longer than their text: views into strings_
  // stay valid because it never grows past this.
  strings_.reserve(text.size());
  const char* p = skip_json_ws(text.data(), text.data() + text.size());
  const char* const e = text.data() + text.size();
  try {
    root_ = parse_value(&p, e, 0);
  } catch (const Invalid&) {
    return false;
  }
  return skip_json_ws(p, e) == e;
}

uint32_t JsonTree::add(const Node& node) {
  nodes_.push_back(node);
  return static_cast<uint32_t>(nodes_.size() - 1);
}

uint32_t JsonTree::parse_value(const char** pp, const char* e, int depth) {
  const char* p = *pp;
  if (p >= e) throw Invalid{};
  Node node{};
  switch (*p) {
    case '{':
    case '[': {
      const bool object = *p == '{';
      const char close = object ? '}' : ']';
      if (++depth > kMaxJsonDepth) throw Invalid{};
      const size_t base = stack_.size();
      p = skip_json_ws(p + 1, e);
      if (p < e && *p == close) {
        *pp = p + 1;
        return close_container(object ? Type::kObject : Type::kArray, base);
      }
      for (;;) {
        if (object) {
          if (p >= e || *p != '"') throw Invalid{};
          stack_.push_back(parse_string(&p, e, true));
          p = skip_json_ws(p, e);
          if (p >= e || *p != ':') throw Invalid{};
          p = skip_json_ws(p + 1, e);
        }
        const uint32_t value = parse_value(&p, e, depth);
        stack_.push_back(value);
        p = skip_json_ws(p, e);
        if (p >= e) throw Invalid{};
        if (*p == close) break;
        if (*p != ',') throw Invalid{};
        p = skip_json_ws(p + 1, e);
      }
      *pp = p + 1;
      return close_container(object ? Type::kObject : Type::kArray, base);
    }
    case '"':
      return parse_string(pp, e, false);
    case 't':
    case 'f':
    case 'n': {
      const std::string_view word = *p == 't'   ? "true"
                                    : *p == 'f' ? "false"
                                                : "null";
      if (static_cast<size_t>(e - p) < word.size() ||
          std::string_view(p, word.size()) != word)
        throw Invalid{};
      *pp = p + word.size();
      node.type = *p == 't' ? Type::kTrue : *p == 'f' ? Type::kFalse : Type::kNull;
      return add(node);
    }
    default:
      return parse_number(pp, e);
  }
}

// Moves the entries of the container being closed from stack_ to
// entries_; an object's members are sorted by key, and of equal keys the
// last one stays (uniqueifyJsonbObject()).
uint32_t JsonTree::close_container(Type type, size_t base) {
  Node node{};
  node.type = type;
  node.first = static_cast<uint32_t>(entries_.size());
  if (type == Type::kArray) {
    entries_.insert(entries_.end(), stack_.begin() + base, stack_.end());
    node.count = static_cast<uint32_t>(stack_.size() - base);
  } else {
    const uint32_t n = static_cast<uint32_t>((stack_.size() - base) / 2);
    auto key = [&](uint32_t member) {
      const Node& k = nodes_[stack_[base + 2 * member]];
      return std::string_view(k.text, k.count);
    };
    auto emit = [&](uint32_t member) {
      entries_.push_back(stack_[base + 2 * member]);
      entries_.push_back(stack_[base + 2 * member + 1]);
    };
    // Objects of one kind (tweets, users, hashtags) repeat their keys in one
    // order line after line: the order found for the last object with as
    // many members is tried first, and kept if it puts these keys in
    // strictly increasing order (so no two are equal). Else they are sorted.
    std::vector<uint32_t>* known =
        n < kKnownOrders ? &known_orders_[n] : nullptr;
    bool reuse = known != nullptr && known->size() == n;
    for (uint32_t i = 1; reuse && i < n; ++i)
      reuse = compare_keys(key((*known)[i - 1]), key((*known)[i])) < 0;
    uint32_t count = 0;
    if (reuse) {
      for (uint32_t member : *known) emit(member);
      count = n;
    } else {
      order_.resize(n);
      for (uint32_t i = 0; i < n; ++i) order_[i] = i;
      std::stable_sort(order_.begin(), order_.end(),
                       [&](uint32_t a, uint32_t b) {
                         return compare_keys(key(a), key(b)) < 0;
                       });
      for (uint32_t i = 0; i < n; ++i) {
        if (i + 1 < n && key(order_[i]) == key(order_[i + 1]))
          continue;  // a later member has the same key
        emit(order_[i]);
        ++count;
      }
      if (known != nullptr && count == n) *known = order_;
    }
    node.count = count;
  }
  stack_.resize(base);
  return add(node);
}

// A string at the opening quote. Without escapes the node points into the
// text; with them the decoded bytes go to strings_, less any U+0000.
uint32_t JsonTree::parse_string(const char** pp, const char* e,
                                bool is_key) {
  const char* const begin = *pp + 1;
  const char* p = find_string_special(begin, e);
  Node node{};
  node.type = Type::kString;
  if (p < e && *p == '"') {
    node.text = begin;
    node.count = static_cast<uint32_t>(p - begin);
    *pp = p + 1;
    return add(node);
  }
  const size_t start = strings_.size();
  strings_.append(begin, static_cast<size_t>(p - begin));
  for (;;) {
    if (p >= e || static_cast<unsigned char>(*p) < 0x20) throw Invalid{};
    if (*p == '"') break;
    // A backslash: one escape, then the plain bytes up to the next one.
    if (++p >= e) throw Invalid{};
    switch (*p++) {
      case '"': strings_.push_back('"'); break;
      case '\\': strings_.push_back('\\'); break;
      case '/': strings_.push_back('/'); break;
      case 'b': strings_.push_back('\b'); break;
      case 'f': strings_.push_back('\f'); break;
      case 'n': strings_.push_back('\n'); break;
      case 'r': strings_.push_back('\r'); break;
      case 't': strings_.push_back('\t'); break;
      case 'u': {
        unsigned cp;
        if (!hex4(p, e, &cp)) throw Invalid{};
        p += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          throw Invalid{};
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned low;
          if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
              !hex4(p + 2, e, &low) || low < 0xDC00 || low > 0xDFFF)
            throw Invalid{};
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (cp != 0)
          append_utf8(&strings_, cp);
        else if (is_key)
          key_lost_nul_ = true;
        break;
      }
      default:
        throw Invalid{};
    }
    const char* const run = p;
    p = find_string_special(p, e);
    if (p != run) strings_.append(run, static_cast<size_t>(p - run));
  }
  node.text = strings_.data() + start;
  node.count = static_cast<uint32_t>(strings_.size() - start);
  *pp = p + 1;
  return add(node);
}

// A number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
uint32_t JsonTree::parse_number(const char** pp, const char* e) {
  const char* const begin = *pp;
  const char* p = begin;
  if (p < e && *p == '-') ++p;
  if (p >= e || !is_digit(*p)) throw Invalid{};
  if (*p == '0')
    ++p;
  else
    while (p < e && is_digit(*p)) ++p;
  // The characters before the point plus the exponent bound the number's
  // decimal magnitude: up to 10^300 a double holds it (nlohmann refuses
  // numbers beyond a double, wherever they are).
  int64_t magnitude = p - begin;
  if (p < e && *p == '.') {
    ++p;
    if (p >= e || !is_digit(*p)) throw Invalid{};
    while (p < e && is_digit(*p)) ++p;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    const bool minus = p < e && *p == '-';
    if (p < e && (*p == '+' || *p == '-')) ++p;
    if (p >= e || !is_digit(*p)) throw Invalid{};
    int64_t exponent = 0;
    for (; p < e && is_digit(*p); ++p)
      exponent = std::min<int64_t>(exponent * 10 + (*p - '0'), 1000000000);
    magnitude += minus ? -exponent : exponent;
  }
  if (magnitude > 300) huge_number_ = true;
  Node node{};
  node.type = Type::kNumber;
  node.text = begin;
  node.count = static_cast<uint32_t>(p - begin);
  *pp = p;
  return add(node);
}

}  // namespace tweet_loader
