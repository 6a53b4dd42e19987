// Geo: the geometry column value as OGC WKB, what PostGIS's
// ST_GeomFromWKB takes.
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

}  // namespace tweet_loader
