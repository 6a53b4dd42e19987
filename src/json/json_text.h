// Preparing a raw JSON line for Postgres's own jsonb input (denormalized
// mode): Postgres text cannot hold U+0000, so its escapes are dropped.
#pragma once

#include <string>
#include <string_view>

namespace tweet_loader {

// Copies line into *out without the JSON escapes "\u0000" (a "\\u0000",
// an escaped backslash followed by the letters, is kept as it is).
// The line is already valid UTF-8 without NUL bytes (LineReader checks).
void strip_nul_escapes(std::string_view line, std::string* out);

}  // namespace tweet_loader
