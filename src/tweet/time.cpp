// Twitter's created_at formats to Unix seconds: v1.1's
// "Fri Jan 01 00:00:01 +0000 2021" and v2's ISO 8601. Done by hand: no locale, no strptime, no timegm, no TZ.
#include <cstdint>
#include <string>
#include <string_view>

#include "errors.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;  // [0, 399]
  const int64_t doy =
      (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;        // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

// Number of days in month m (1..12) of year y.
int days_in_month(int64_t y, int m) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// ASCII case-insensitive comparison of three letters.
bool same3(const char* a, const char* b) {
  for (int i = 0; i < 3; ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char e = b[i];
    if (e >= 'A' && e <= 'Z') e = static_cast<char>(e - 'A' + 'a');
    if (c != e) return false;
  }
  return true;
}

// Reads n decimal digits at p; false if any is not a digit.
bool digits(const char* p, int n, int* value) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + (p[i] - '0');
  }
  *value = v;
  return true;
}

// The parser proper; false on any deviation from the format.
// Layout (30 bytes): "Ddd Mmm DD HH:MM:SS +hhmm YYYY".
// The day name must be one of the seven, but is not checked against the
// date (PostgreSQL's timestamptz input does not check it either). Seconds
// may be 60 (a leap second rolls over, as in PostgreSQL); the offset is
// limited to +-15:59 like PostgreSQL's.
bool parse(std::string_view s, int64_t* out) {
  static const char* const kDayNames[7] = {"Mon", "Tue", "Wed", "Thu",
                                           "Fri", "Sat", "Sun"};
  static const char* const kMonthNames[12] = {"Jan", "Feb", "Mar", "Apr",
                                              "May", "Jun", "Jul", "Aug",
                                              "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 30) return false;
  const char* p = s.data();
  if (p[3] != ' ' || p[7] != ' ' || p[10] != ' ' || p[13] != ':' ||
      p[16] != ':' || p[19] != ' ' || p[25] != ' ')
    return false;
  bool day_ok = false;
  for (const char* name : kDayNames) day_ok = day_ok || same3(p, name);
  if (!day_ok) return false;
  int month = 0;
  for (int i = 0; i < 12 && month == 0; ++i)
    if (same3(p + 4, kMonthNames[i])) month = i + 1;
  if (month == 0) return false;
  int day, hour, minute, second, off_h, off_m, year;
  if (!digits(p + 8, 2, &day) || !digits(p + 11, 2, &hour) ||
      !digits(p + 14, 2, &minute) || !digits(p + 17, 2, &second) ||
      !digits(p + 21, 2, &off_h) || !digits(p + 23, 2, &off_m) ||
      !digits(p + 26, 4, &year))
    return false;
  if (p[20] != '+' && p[20] != '-') return false;
  if (year < 1 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60 || off_h > 15 || off_m > 59)
    return false;
  const int64_t offset = (off_h * 3600 + off_m * 60) * (p[20] == '-' ? -1 : 1);
  *out = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
         second - offset;
  return true;
}

// ISO 8601 as API v2 writes it: "2021-04-08T19:34:16.000Z". Any fraction
// of a second is dropped (v1.1 times have none); the zone is Z or +-hh:mm.
bool parse_iso(std::string_view s, int64_t* out) {
  if (s.size() < 20) return false;
  const char* p = s.data();
  int year, month, day, hour, minute, second;
  if (!digits(p, 4, &year) || p[4] != '-' || !digits(p + 5, 2, &month) ||
      p[7] != '-' || !digits(p + 8, 2, &day) || p[10] != 'T' ||
      !digits(p + 11, 2, &hour) || p[13] != ':' ||
      !digits(p + 14, 2, &minute) || p[16] != ':' ||
      !digits(p + 17, 2, &second))
    return false;
  size_t i = 19;
  if (s[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  int64_t offset = 0;
  const std::string_view zone = s.substr(i);
  if (zone != "Z") {
    int off_h, off_m;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
        !digits(zone.data() + 1, 2, &off_h) || zone[3] != ':' ||
        !digits(zone.data() + 4, 2, &off_m) || off_h > 15 || off_m > 59)
      return false;
    offset = (off_h * 3600 + off_m * 60) * (zone[0] == '-' ? -1 : 1);
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60)
    return false;
  *out = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
         second - offset;
  return true;
}

// At most 40 bytes of a value for a message, cut on a character boundary.
std::string shown(std::string_view text) {
  size_t cut = text.size() <= 40 ? text.size() : 40;
  while (cut < text.size() && cut > 0 &&
         (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  std::string out;
  for (char c : text.substr(0, cut))
    if (c != '\0') out += c;
  if (cut < text.size()) out += "...";
  return out;
}

}  // namespace

int64_t parse_iso_time(std::string_view text) {
  int64_t seconds = 0;
  if (!parse_iso(text, &seconds))
    throw LoadError(ErrorKind::kBadInput,
                    "invalid ISO 8601 time \"" + shown(text) + "\"");
  return seconds;
}

int64_t parse_twitter_time(std::string_view text) {
  int64_t seconds = 0;
  if (!parse(text, &seconds))
    throw LoadError(ErrorKind::kBadInput,
                    "invalid Twitter time \"" + shown(text) + "\"");
  return seconds;
}

}  // namespace tweet_loader
