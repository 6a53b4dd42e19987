// UTF-8 helpers of the plain C++ layer, one copy for every stage: the
// reader checks lines with them, the JSON parsers decode escapes and clean
// messages, the mapping counts characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tweet_loader {

// Length of the well-formed UTF-8 sequence at s (n > 0 bytes available),
// or 0 when there is none; then *bad (if given) is the offset of the first
// byte that breaks it, or n when the sequence is cut short. Overlong forms,
// surrogates and code points above U+10FFFF are not well formed.
inline size_t utf8_sequence(const unsigned char* s, size_t n,
                            size_t* bad = nullptr) {
  const unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned lo = 0x80, hi = 0xbf;  // range of the second byte
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    if (c == 0xe0) lo = 0xa0;  // overlong
    if (c == 0xed) hi = 0x9f;  // surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    if (c == 0xf0) lo = 0x90;  // overlong
    if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    if (bad) *bad = 0;
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if (k >= n) {
      if (bad) *bad = n;
      return 0;
    }
    const unsigned d = s[k];
    if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf)) {
      if (bad) *bad = k;
      return 0;
    }
  }
  return len;
}

// Number of characters of valid UTF-8 text.
inline size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

// Appends code point cp (at most U+10FFFF, not a surrogate) as UTF-8.
inline void append_utf8(std::string* out, unsigned cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// s as text safe in a message: bytes that are not UTF-8, NUL and (with
// controls) every other control character become '?'.
inline std::string printable_utf8(std::string_view s, bool controls) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const unsigned c = p[i];
    const size_t len = utf8_sequence(p + i, s.size() - i);
    if (len == 0 || c == 0 || (controls && (c < 0x20 || c == 0x7f))) {
      out += '?';
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  return out;
}

}  // namespace tweet_loader
