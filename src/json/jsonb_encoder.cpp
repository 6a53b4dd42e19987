// JsonbEncoder: a JsonTree (already in jsonb's member order) written the way
// PostgreSQL's convertToJsonb() writes a JsonbValue.
#include "json/jsonb_encoder.h"

#include <algorithm>
#include <cstring>

#include "errors.h"

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

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Writes a numeric datum: its varlena header, the short header when the
// weight and scale fit it (else the long one), the base-10000 digits.
// Returns the bytes written.
uint32_t put_numeric(bool negative, int64_t weight, int64_t dscale,
                     const uint16_t* digits, size_t n, std::string* out) {
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
  for (size_t i = 0; i < n; ++i) append16(out, digits[i]);
  return static_cast<uint32_t>(size);
}

}  // namespace

void JsonbEncoder::encode(const JsonTree& tree, std::string* out) {
  tree_ = &tree;
  out->clear();
  out->append(4, '\0');  // the varlena header, set at the end
  const JsonTree::Node& root = tree.root();
  // A scalar is a one-element array.
  const bool scalar = root.type != JsonTree::Type::kArray &&
                      root.type != JsonTree::Type::kObject;
  write_container(root, scalar, out);
  put32(out, 0, varlena_header(out->size()));
}

// convertJsonbValue(): appends the value's data, returns its JEntry.
uint32_t JsonbEncoder::write_value(const JsonTree::Node& node, std::string* out) {
  switch (node.type) {
    case JsonTree::Type::kNull:
      return kJEntryIsNull;
    case JsonTree::Type::kFalse:
      return kJEntryIsBoolFalse;
    case JsonTree::Type::kTrue:
      return kJEntryIsBoolTrue;
    case JsonTree::Type::kString:
      out->append(node.text, node.count);
      return node.count;
    case JsonTree::Type::kNumber: {
      const uint32_t pad = pad_to_int(out);
      return kJEntryIsNumeric |
             (pad + write_numeric(JsonTree::text_of(node), out));
    }
    case JsonTree::Type::kArray:
    case JsonTree::Type::kObject:
      return write_container(node, false, out);
  }
  return kJEntryIsNull;
}

// convertJsonbArray() and convertJsonbObject(): header, JEntries (every
// 32nd an end offset, the others lengths), then the entries' data.
uint32_t JsonbEncoder::write_container(const JsonTree::Node& node, bool raw_scalar,
                                       std::string* out) {
  const size_t base = out->size();
  pad_to_int(out);
  const bool object = node.type == JsonTree::Type::kObject;
  const uint32_t members = raw_scalar ? 1 : node.count;
  const uint32_t entries = object ? 2 * members : members;
  uint32_t header = members | (object ? kJbFObject : kJbFArray);
  if (raw_scalar) header |= kJbFScalar;
  append32(out, header);
  size_t jentry = out->size();
  out->append(sizeof(uint32_t) * static_cast<size_t>(entries), '\0');

  uint64_t total = 0;
  for (uint32_t i = 0; i < entries; ++i) {
    // An object's keys come first, then its values.
    const JsonTree::Node& entry = raw_scalar ? node
                                  : !object  ? tree_->element(node, i)
                                  : i < members
                                      ? tree_->key(node, i)
                                      : tree_->value(node, i - members);
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

  return put_numeric(negative, weight, dscale, base.data() + first,
                     last - first, out);
}

}  // namespace tweet_loader
