// Small pieces of JSON scanning shared by the mapping's fast path and the
// jsonb encoder: white space, \uXXXX digits and the nesting limit.
#pragma once

namespace tweet_loader {

// Deepest nesting accepted (the root container is level 1).
constexpr int kMaxJsonDepth = 200;

inline bool is_json_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline const char* skip_json_ws(const char* p, const char* e) {
  while (p < e && is_json_ws(*p)) ++p;
  return p;
}

// The four hex digits of a \u escape at p, or false.
inline bool hex4(const char* p, const char* e, unsigned* out) {
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

}  // namespace tweet_loader
