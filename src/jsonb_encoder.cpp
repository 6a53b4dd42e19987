// JsonbEncoder: JSON text to the bytes of a jsonb datum. Two passes: the
// text is parsed into a flat tree (objects sorted and de-duplicated as
// jsonb keeps them), then the tree is written the way PostgreSQL's
// convertToJsonb() writes a JsonbValue.
#include "jsonb_encoder.h"

#include <algorithm>
#include <cstring>

#include "errors.h"
#include "json_scan.h"

namespace tweet_loader {
namespace {

// From src/include/utils/jsonb.h.
constexpr uint32_t kJbFScalar = 0x10000000;
constexpr uint32_t kJbFObject = 0x20000000;
constexpr uint32_t kJbFArray = 0x40000000;
constexpr uint32_t kJEntryOffLenMask = 0x0FFFFFFF;
constexpr uint32_t kJEntryTypeMask = 0x70000000;
constexpr uint32_t kJEntryHasOff = 0x80000000;
constexpr uint32_t kJEntryIsNumeric = 0x10000000;
constexpr uint32_t kJEntryIsBoolFalse = 0x20000000;
constexpr uint32_t kJEntryIsBoolTrue = 0x30000000;
constexpr uint32_t kJEntryIsNull = 0x40000000;
constexpr uint32_t kJEntryIsContainer = 0x50000000;
constexpr int kJbOffsetStride = 32;

// From src/backend/utils/adt/numeric.c.
constexpr int kDecDigits = 4;  // decimal digits per base-10000 digit
constexpr int kMaxExponent = 1000;  // NUMERIC_MAX_PRECISION
constexpr uint16_t kNumericNeg = 0x4000;
constexpr uint16_t kNumericShort = 0x8000;
constexpr uint16_t kNumericShortSignMask = 0x2000;
constexpr int kNumericShortDscaleShift = 7;
constexpr int kNumericShortDscaleMax = 0x3F;
constexpr uint16_t kNumericShortWeightSignMask = 0x0040;
constexpr uint16_t kNumericShortWeightMask = 0x003F;
constexpr int kNumericShortWeightMax = 63;
constexpr int kNumericShortWeightMin = -64;
constexpr int kNumericDscaleMax = 0x3FFF;

[[noreturn]] void fail(ErrorKind kind, const std::string& message) {
  throw LoadError(kind, message);
}

[[noreturn]] void invalid(const char* what) {
  fail(ErrorKind::kBadInput, std::string("invalid JSON for jsonb: ") + what);
}

void put32(std::string* out, size_t at, uint32_t v) {
  std::memcpy(&(*out)[at], &v, sizeof v);
}

void append32(std::string* out, uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void append16(std::string* out, uint16_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

// A 4-byte varlena header (SET_VARSIZE) for size bytes.
uint32_t varlena_header(size_t size) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return static_cast<uint32_t>(size) << 2;
#else
  return static_cast<uint32_t>(size) & 0x3FFFFFFF;
#endif
}

// padBufferToInt(): zero bytes up to the next multiple of 4.
uint32_t pad_to_int(std::string* out) {
  const uint32_t pad = static_cast<uint32_t>(-out->size() & 3);
  out->append(pad, '\0');
  return pad;
}

// jsonb's order of keys: shorter first, then bytewise.
bool key_less(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

void append_utf8(std::string* out, unsigned cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void JsonbEncoder::encode(std::string_view text, std::string* out) {
  if (text.size() >= UINT32_MAX)  // the nodes count bytes in 32 bits
    fail(ErrorKind::kTooLarge, "JSON value is larger than jsonb can hold");
  nodes_.clear();
  children_.clear();
  stack_.clear();
  strings_.clear();
  // Decoded strings are never longer than their text: views into strings_
  // stay valid because it never grows past this.
  strings_.reserve(text.size());

  const char* p = text.data();
  const char* const e = p + text.size();
  p = skip_json_ws(p, e);
  const uint32_t root = parse_value(&p, e, 0);
  if (skip_json_ws(p, e) != e) invalid("text after the value");

  out->clear();
  out->append(4, '\0');  // the varlena header, set at the end
  const Node& node = nodes_[root];
  if (node.type == Type::kArray || node.type == Type::kObject)
    write_container(node, false, out);
  else
    write_container(node, true, out);  // a scalar is a one-element array
  put32(out, 0, varlena_header(out->size()));
}

// ------------------------------------------------------------------ parse

uint32_t JsonbEncoder::parse_value(const char** pp, const char* e, int depth) {
  const char* p = *pp;
  if (p >= e) invalid("unexpected end of text");
  Node node{};
  switch (*p) {
    case '{':
    case '[': {
      const bool object = *p == '{';
      const char close = object ? '}' : ']';
      if (++depth > kMaxJsonDepth)
        fail(ErrorKind::kTooDeep, "JSON value is nested deeper than " +
                                      std::to_string(kMaxJsonDepth) +
                                      " levels");
      const size_t base = stack_.size();
      p = skip_json_ws(p + 1, e);
      if (p < e && *p == close) {
        *pp = p + 1;
        return close_container(object ? Type::kObject : Type::kArray, base);
      }
      for (;;) {
        if (object) {
          if (p >= e || *p != '"') invalid("object key is not a string");
          stack_.push_back(parse_string(&p, e));
          p = skip_json_ws(p, e);
          if (p >= e || *p != ':') invalid("':' expected after an object key");
          p = skip_json_ws(p + 1, e);
        }
        const uint32_t value = parse_value(&p, e, depth);
        stack_.push_back(value);
        p = skip_json_ws(p, e);
        if (p >= e) invalid("unexpected end of text");
        if (*p == close) break;
        if (*p != ',') invalid("',' or the end of a container expected");
        p = skip_json_ws(p + 1, e);
      }
      *pp = p + 1;
      return close_container(object ? Type::kObject : Type::kArray, base);
    }
    case '"':
      return parse_string(pp, e);
    case 't':
    case 'f':
    case 'n': {
      const std::string_view word = *p == 't'   ? "true"
                                    : *p == 'f' ? "false"
                                                : "null";
      if (static_cast<size_t>(e - p) < word.size() ||
          std::string_view(p, word.size()) != word)
        invalid("unknown literal");
      *pp = p + word.size();
      node.type = *p == 't' ? Type::kTrue : *p == 'f' ? Type::kFalse : Type::kNull;
      nodes_.push_back(node);
      return static_cast<uint32_t>(nodes_.size() - 1);
    }
    default:
      return parse_number(pp, e);
  }
}

// Moves the entries of the container being closed from stack_ to
// children_; an object's members are sorted by key, and of equal keys the
// last one stays (uniqueifyJsonbObject()).
uint32_t JsonbEncoder::close_container(Type type, size_t base) {
  Node node{};
  node.type = type;
  node.first = static_cast<uint32_t>(children_.size());
  if (type == Type::kArray) {
    children_.insert(children_.end(), stack_.begin() + base, stack_.end());
    node.count = static_cast<uint32_t>(stack_.size() - base);
  } else {
    pairs_.clear();
    for (size_t i = base; i < stack_.size(); i += 2)
      pairs_.emplace_back(stack_[i], stack_[i + 1]);
    auto key = [this](const std::pair<uint32_t, uint32_t>& m) {
      const Node& k = nodes_[m.first];
      return std::string_view(k.text, k.count);
    };
    std::stable_sort(pairs_.begin(), pairs_.end(),
                     [&](const auto& a, const auto& b) {
                       return key_less(key(a), key(b));
                     });
    uint32_t count = 0;
    for (size_t i = 0; i < pairs_.size(); ++i) {
      if (i + 1 < pairs_.size() && key(pairs_[i]) == key(pairs_[i + 1]))
        continue;  // a later member has the same key
      children_.push_back(pairs_[i].first);
      children_.push_back(pairs_[i].second);
      ++count;
    }
    node.count = count;
  }
  stack_.resize(base);
  nodes_.push_back(node);
  return static_cast<uint32_t>(nodes_.size() - 1);
}

// A string at the opening quote. Without escapes the node points into the
// text; with them the decoded bytes go to strings_, less any U+0000.
uint32_t JsonbEncoder::parse_string(const char** pp, const char* e) {
  const char* const begin = *pp + 1;
  const char* p = begin;
  while (p < e && *p != '"' && *p != '\\' &&
         static_cast<unsigned char>(*p) >= 0x20)
    ++p;
  Node node{};
  node.type = Type::kString;
  if (p < e && *p == '"') {
    node.text = begin;
    node.count = static_cast<uint32_t>(p - begin);
    *pp = p + 1;
    nodes_.push_back(node);
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  const size_t start = strings_.size();
  strings_.append(begin, p);
  for (;;) {
    if (p >= e) invalid("unterminated string");
    const char c = *p;
    if (c == '"') break;
    if (static_cast<unsigned char>(c) < 0x20)
      invalid("control character in a string");
    if (c != '\\') {
      strings_.push_back(c);
      ++p;
      continue;
    }
    if (++p >= e) invalid("unterminated string");
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
        if (!hex4(p, e, &cp)) invalid("\\u needs four hex digits");
        p += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          invalid("Unicode low surrogate without a high surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned low;
          if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
              !hex4(p + 2, e, &low) || low < 0xDC00 || low > 0xDFFF)
            invalid("Unicode high surrogate without a low surrogate");
          p += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (cp != 0) append_utf8(&strings_, cp);
        break;
      }
      default:
        invalid("unknown escape in a string");
    }
  }
  node.text = strings_.data() + start;
  node.count = static_cast<uint32_t>(strings_.size() - start);
  *pp = p + 1;
  nodes_.push_back(node);
  return static_cast<uint32_t>(nodes_.size() - 1);
}

// A number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
uint32_t JsonbEncoder::parse_number(const char** pp, const char* e) {
  const char* const begin = *pp;
  const char* p = begin;
  if (p < e && *p == '-') ++p;
  if (p >= e || !is_digit(*p)) invalid("unexpected character");
  if (*p == '0')
    ++p;
  else
    while (p < e && is_digit(*p)) ++p;
  if (p < e && *p == '.') {
    ++p;
    if (p >= e || !is_digit(*p)) invalid("digits expected after '.'");
    while (p < e && is_digit(*p)) ++p;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < e && (*p == '+' || *p == '-')) ++p;
    if (p >= e || !is_digit(*p)) invalid("digits expected in an exponent");
    while (p < e && is_digit(*p)) ++p;
  }
  Node node{};
  node.type = Type::kNumber;
  node.text = begin;
  node.count = static_cast<uint32_t>(p - begin);
  *pp = p;
  nodes_.push_back(node);
  return static_cast<uint32_t>(nodes_.size() - 1);
}

// ------------------------------------------------------------------ write

// convertJsonbValue(): appends the value's data, returns its JEntry.
uint32_t JsonbEncoder::write_value(const Node& node, std::string* out) {
  switch (node.type) {
    case Type::kNull:
      return kJEntryIsNull;
    case Type::kFalse:
      return kJEntryIsBoolFalse;
    case Type::kTrue:
      return kJEntryIsBoolTrue;
    case Type::kString:
      out->append(node.text, node.count);
      return node.count;
    case Type::kNumber: {
      const uint32_t pad = pad_to_int(out);
      return kJEntryIsNumeric |
             (pad + write_numeric(std::string_view(node.text, node.count), out));
    }
    case Type::kArray:
    case Type::kObject:
      return write_container(node, false, out);
  }
  return kJEntryIsNull;
}

// convertJsonbArray() and convertJsonbObject(): header, JEntries (every
// 32nd an end offset, the others lengths), then the entries' data.
uint32_t JsonbEncoder::write_container(const Node& node, bool raw_scalar,
                                       std::string* out) {
  const size_t base = out->size();
  pad_to_int(out);
  const bool object = node.type == Type::kObject;
  const uint32_t members = raw_scalar ? 1 : node.count;
  const uint32_t entries = object ? 2 * members : members;
  uint32_t header = members | (object ? kJbFObject : kJbFArray);
  if (raw_scalar) header |= kJbFScalar;
  append32(out, header);
  size_t jentry = out->size();
  out->append(sizeof(uint32_t) * static_cast<size_t>(entries), '\0');

  uint64_t total = 0;
  for (uint32_t i = 0; i < entries; ++i) {
    // An object's keys come first, then its values; children_ holds them
    // as key, value pairs.
    uint32_t index = node.first + i;
    if (object)
      index = i < members ? node.first + 2 * i
                          : node.first + 2 * (i - members) + 1;
    const Node& entry = raw_scalar ? node : nodes_[children_[index]];
    uint32_t meta = write_value(entry, out);
    total += meta & kJEntryOffLenMask;
    if (total > kJEntryOffLenMask)
      fail(ErrorKind::kTooLarge, "JSON value is larger than jsonb can hold");
    if (i % kJbOffsetStride == 0)
      meta = (meta & kJEntryTypeMask) | static_cast<uint32_t>(total) |
             kJEntryHasOff;
    put32(out, jentry, meta);
    jentry += sizeof(uint32_t);
  }
  const size_t size = out->size() - base;
  if (size > kJEntryOffLenMask)
    fail(ErrorKind::kTooLarge, "JSON value is larger than jsonb can hold");
  return kJEntryIsContainer | static_cast<uint32_t>(size);
}

// numeric_in() of a JSON number (set_var_from_str() and make_result()):
// base-10000 digits without leading or trailing zeros, the weight of the
// first, and the display scale; the short header when they fit it.
// Returns the bytes written.
uint32_t JsonbEncoder::write_numeric(std::string_view number, std::string* out) {
  const char* p = number.data();
  const char* const e = p + number.size();
  bool negative = false;
  if (*p == '-') {
    negative = true;
    ++p;
  }
  digits_.assign(kDecDigits, 0);  // room to align the first base digit
  int64_t dweight = -1, dscale = 0;
  bool after_point = false;
  for (; p < e; ++p) {
    if (*p == '.') {
      after_point = true;
    } else if (is_digit(*p)) {
      digits_.push_back(static_cast<uint8_t>(*p - '0'));
      if (after_point)
        ++dscale;
      else
        ++dweight;
    } else {
      break;
    }
  }
  const int64_t ddigits = static_cast<int64_t>(digits_.size()) - kDecDigits;
  digits_.insert(digits_.end(), kDecDigits - 1, 0);
  if (p < e) {  // the exponent
    ++p;
    const bool minus = *p == '-';
    if (*p == '+' || *p == '-') ++p;
    int64_t exponent = 0;
    for (; p < e; ++p)
      exponent = std::min<int64_t>(exponent * 10 + (*p - '0'), 1000000);
    if (minus) exponent = -exponent;
    if (exponent > kMaxExponent || exponent < -kMaxExponent)
      fail(ErrorKind::kBadInput, "invalid input syntax for type numeric: \"" +
                                     std::string(number) + "\"");
    dweight += exponent;
    dscale = std::max<int64_t>(dscale - exponent, 0);
  }

  int64_t weight = dweight >= 0 ? (dweight + 1 + kDecDigits - 1) / kDecDigits - 1
                                : -((-dweight - 1) / kDecDigits + 1);
  const int64_t offset = (weight + 1) * kDecDigits - (dweight + 1);
  int64_t ndigits = (ddigits + offset + kDecDigits - 1) / kDecDigits;
  std::vector<uint16_t>& base = base_digits_;  // reused between numbers
  base.clear();
  for (size_t i = static_cast<size_t>(kDecDigits - offset); ndigits-- > 0;
       i += kDecDigits)
    base.push_back(static_cast<uint16_t>(
        ((digits_[i] * 10 + digits_[i + 1]) * 10 + digits_[i + 2]) * 10 +
        digits_[i + 3]));
  size_t first = 0, last = base.size();
  while (first < last && base[first] == 0) {
    ++first;
    --weight;
  }
  while (last > first && base[last - 1] == 0) --last;
  if (first == last) {
    weight = 0;
    negative = false;
  }
  if (weight > INT16_MAX || weight < INT16_MIN || dscale > kNumericDscaleMax)
    fail(ErrorKind::kOutOfRange,
         "value overflows numeric format: \"" + std::string(number) + "\"");

  const size_t n = last - first;
  const bool fits_short = dscale <= kNumericShortDscaleMax &&
                          weight <= kNumericShortWeightMax &&
                          weight >= kNumericShortWeightMin;
  const size_t size = sizeof(uint32_t) + (fits_short ? 2 : 4) + 2 * n;
  append32(out, varlena_header(size));
  if (fits_short) {
    append16(out, static_cast<uint16_t>(
                      (negative ? kNumericShort | kNumericShortSignMask
                                : kNumericShort) |
                      (dscale << kNumericShortDscaleShift) |
                      (weight < 0 ? kNumericShortWeightSignMask : 0) |
                      (weight & kNumericShortWeightMask)));
  } else {
    append16(out, static_cast<uint16_t>((negative ? kNumericNeg : 0) |
                                        (dscale & kNumericDscaleMax)));
    append16(out, static_cast<uint16_t>(static_cast<int16_t>(weight)));
  }
  for (size_t i = first; i < last; ++i) append16(out, base[i]);
  return static_cast<uint32_t>(size);
}

}  // namespace tweet_loader
