#include "read/utf8_line.h"

#include <cstdio>
#include <cstring>

#include "errors.h"
#include "utf8.h"

namespace tweet_loader {

namespace {

[[noreturn]] void line_error(const char* what, unsigned byte, uint64_t line,
                             size_t offset) {
  char buf[128];
  if (what)
    std::snprintf(buf, sizeof buf, "%s at line %llu, byte %zu", what,
                  static_cast<unsigned long long>(line), offset + 1);
  else
    std::snprintf(buf, sizeof buf,
                  "invalid UTF-8 byte 0x%02x at line %llu, byte %zu", byte,
                  static_cast<unsigned long long>(line), offset + 1);
  throw LoadError(ErrorKind::kBadEncoding, buf, line);
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Nonzero when one of the 8 bytes has its high bit set or is zero.
inline uint64_t special_bytes(uint64_t v) {
  return (v | ((v - kOnes) & ~v)) & kHighs;
}

}  // namespace

// Offsets in messages are 1-based.
void check_utf8_line(const char* data, size_t n, uint64_t line) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  for (;;) {
    // ASCII fast path, 16 then 8 bytes at a time.
    while (n - i >= 16) {
      uint64_t a, b;
      std::memcpy(&a, s + i, 8);
      std::memcpy(&b, s + i + 8, 8);
      if (special_bytes(a) | special_bytes(b)) break;
      i += 16;
    }
    if (n - i >= 8) {
      uint64_t a;
      std::memcpy(&a, s + i, 8);
      if (!special_bytes(a)) i += 8;
    }
    if (i == n) return;
    unsigned c = s[i];
    if (c < 0x80) {
      if (c == 0) line_error("invalid NUL byte (0x00)", 0, line, i);
      ++i;
      continue;
    }
    size_t bad;
    const size_t len = utf8_sequence(s + i, n - i, &bad);
    if (len == 0) {
      if (bad == n - i) line_error("incomplete UTF-8 sequence", 0, line, i);
      line_error(nullptr, s[i + bad], line, i + bad);
    }
    i += len;
  }
}

}  // namespace tweet_loader
