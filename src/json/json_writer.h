// Writing a value of a JSON view (TreeView, DomView) back out as JSON text:
// the flattening of API v2 responses (tweet/v2_response.h) builds each
// tweet's text from the parts of the line it came in.
#pragma once

#include <string>
#include <string_view>

#include "json/json_view.h"

namespace tweet_loader {

// s as a JSON string, quotes included. s is valid UTF-8, written as is but
// for '"', '\\' and the control characters, which are escaped.
inline void write_json_string(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the characters not yet written
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    char escape[6] = {'\\', 0, 0, 0, 0, 0};
    size_t n = 2;
    switch (u) {
      case '"': escape[1] = '"'; break;
      case '\\': escape[1] = '\\'; break;
      case '\n': escape[1] = 'n'; break;
      case '\r': escape[1] = 'r'; break;
      case '\t': escape[1] = 't'; break;
      case '\b': escape[1] = 'b'; break;
      case '\f': escape[1] = 'f'; break;
      default:
        escape[1] = 'u';
        escape[2] = escape[3] = '0';
        escape[4] = kHex[u >> 4];
        escape[5] = kHex[u & 0xF];
        n = 6;
    }
    out->append(escape, n);
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

template <class V>
void write_json(const V& v, std::string* out) {
  switch (v.kind()) {
    case JsonKind::kNull:
      out->append("null");
      return;
    case JsonKind::kBoolean:
      out->append(v.boolean() ? "true" : "false");
      return;
    case JsonKind::kString:
      if (v.text_is_json()) {  // nothing to escape: a copy
        out->push_back('"');
        out->append(v.text());
        out->push_back('"');
      } else {
        write_json_string(v.text(), out);
      }
      return;
    case JsonKind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out->push_back(',');
        write_json(v.element(i), out);
      }
      out->push_back(']');
      return;
    case JsonKind::kObject: {
      out->push_back('{');
      bool first = true;
      v.each_member([&](std::string_view key, const V& value) {
        if (!first) out->push_back(',');
        first = false;
        write_json_string(key, out);
        out->push_back(':');
        write_json(value, out);
      });
      out->push_back('}');
      return;
    }
    default:
      out->append(v.number_text());
  }
}

}  // namespace tweet_loader
