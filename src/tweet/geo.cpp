// Geo: the geometry column value as OGC WKB (what PostGIS's geometry input
// accepts in hex) and as WKT (for tests and messages).
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>

#include "tweet/tweet.h"

namespace tweet_loader {
namespace {

constexpr uint32_t kWkbPoint = 1;
constexpr uint32_t kWkbPolygon = 3;
constexpr uint32_t kWkbMultiPolygon = 6;
constexpr char kLittleEndian = 1;

// Appends v as 4 little-endian bytes, whatever the host's byte order.
void put_u32(std::string* b, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Appends an IEEE 754 double as 8 little-endian bytes.
void put_f64(std::string* b, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  for (int i = 0; i < 8; ++i)
    b->push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

// Appends the shortest decimal text that reads back as exactly d.
void put_number(std::string* s, double d) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  s->append(buf, res.ptr);
}

}  // namespace

std::string Geo::to_wkb() const {
  std::string b;
  switch (kind) {
    case Kind::kNone:
      break;
    case Kind::kPoint:
      b.reserve(21);
      b.push_back(kLittleEndian);
      put_u32(&b, kWkbPoint);
      put_f64(&b, x);
      put_f64(&b, y);
      break;
    case Kind::kMultiPolygon: {
      size_t points = 0;
      for (const auto& ring : rings) points += ring.size();
      b.reserve(9 + 9 + 4 * rings.size() + 16 * points);
      b.push_back(kLittleEndian);
      put_u32(&b, kWkbMultiPolygon);
      put_u32(&b, 1);  // one polygon
      b.push_back(kLittleEndian);
      put_u32(&b, kWkbPolygon);
      put_u32(&b, static_cast<uint32_t>(rings.size()));
      for (const auto& ring : rings) {
        put_u32(&b, static_cast<uint32_t>(ring.size()));
        for (const auto& pt : ring) {
          put_f64(&b, pt.first);
          put_f64(&b, pt.second);
        }
      }
      break;
    }
  }
  return b;
}

std::string Geo::to_wkt() const {
  std::string s;
  switch (kind) {
    case Kind::kNone:
      break;
    case Kind::kPoint:
      s = "POINT(";
      put_number(&s, x);
      s += ' ';
      put_number(&s, y);
      s += ')';
      break;
    case Kind::kMultiPolygon:
      s = "MULTIPOLYGON((";
      for (size_t r = 0; r < rings.size(); ++r) {
        if (r > 0) s += ',';
        s += '(';
        for (size_t i = 0; i < rings[r].size(); ++i) {
          if (i > 0) s += ',';
          put_number(&s, rings[r][i].first);
          s += ' ';
          put_number(&s, rings[r][i].second);
        }
        s += ')';
      }
      s += "))";
      break;
  }
  return s;
}

}  // namespace tweet_loader
