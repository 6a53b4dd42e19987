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
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != '\\') {
      out->push_back(c);
      continue;
    }
    out->push_back('\\');
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '\n': out->push_back('n'); break;
      case '\r': out->push_back('r'); break;
      case '\t': out->push_back('t'); break;
      case '\b': out->push_back('b'); break;
      case '\f': out->push_back('f'); break;
      default:
        out->append("u00");
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 0xF]);
    }
  }
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
      write_json_string(v.text(), out);
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
