// The UTF-8 check of every line read: what LineReader hands on is valid
// UTF-8 without NUL bytes, which the JSON parser then relies on.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tweet_loader {

// Throws a LoadError (kBadEncoding) naming the line and the byte unless
// data[0, n) is UTF-8 (no overlong forms, no surrogates, nothing above
// U+10FFFF) without NUL bytes.
void check_utf8_line(const char* data, size_t n, uint64_t line);

}  // namespace tweet_loader
