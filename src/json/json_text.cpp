// strip_nul_escapes: drops the JSON escape \u0000 from a raw line so that
// PostgreSQL's jsonb input (which rejects it) accepts the rest unchanged.
#include "json/json_text.h"

#include <cstring>

namespace tweet_loader {

void strip_nul_escapes(std::string_view line, std::string* out) {
  out->clear();
  out->reserve(line.size());
  const char* const end = line.data() + line.size();
  const char* copied = line.data();  // bytes before this are in *out
  const char* scan = line.data();    // next byte to look at for '\\'
  while (scan < end) {
    const char* bs = static_cast<const char*>(
        std::memchr(scan, '\\', static_cast<size_t>(end - scan)));
    if (bs == nullptr) break;
    if (end - bs >= 6 && std::memcmp(bs + 1, "u0000", 5) == 0) {
      out->append(copied, bs);
      copied = scan = bs + 6;
    } else {
      // A backslash escapes the next byte ("\\\\", "\\\"", "\\/", ...): skip
      // both, so the second backslash of "\\\\u0000" never starts an escape.
      scan = end - bs >= 2 ? bs + 2 : end;
    }
  }
  out->append(copied, end);
}

}  // namespace tweet_loader
