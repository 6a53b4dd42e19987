// A mapped tweet as text, every field included, so that tests can compare
// two parses of the same line.
#pragma once

#include <sstream>
#include <string>

#include "errors.h"
#include "parse_line.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace test {

template <class T>
void put(std::ostringstream& o, const char* name, const std::optional<T>& v) {
  o << name << '=';
  if (v)
    o << *v;
  else
    o << "NULL";
  o << ';';
}

inline void put(std::ostringstream& o, const char* name,
                const std::optional<std::vector<std::string>>& v) {
  o << name << '=';
  if (v) {
    for (const std::string& s : *v) o << '[' << s << ']';
  } else {
    o << "NULL";
  }
  o << ';';
}

inline void put(std::ostringstream& o, const char* name,
                const std::optional<int16_t>& v) {
  o << name << '=';
  if (v)
    o << static_cast<int>(*v);
  else
    o << "NULL";
  o << ';';
}

inline void put(std::ostringstream& o, const char* name,
                const std::optional<bool>& v) {
  o << name << '=' << (v ? (*v ? "true" : "false") : "NULL") << ';';
}

inline std::string describe(const User& u) {
  std::ostringstream o;
  o << "user " << u.id << (u.full ? " full;" : " partial;");
  put(o, "screen_name", u.screen_name);
  put(o, "name", u.name);
  put(o, "location", u.location);
  put(o, "description", u.description);
  put(o, "url", u.url);
  put(o, "created_at", u.created_at);
  put(o, "friends", u.friends_count);
  put(o, "listed", u.listed_count);
  put(o, "favourites", u.favourites_count);
  put(o, "statuses", u.statuses_count);
  put(o, "protected", u.is_protected);
  put(o, "verified", u.verified);
  put(o, "withheld", u.withheld_in_countries);
  return o.str();
}

inline std::string describe(const Tweet& t) {
  std::ostringstream o;
  o << "tweet " << t.id << " at " << t.created_at << ';';
  put(o, "reply_status", t.in_reply_to_status_id);
  put(o, "reply_user", t.in_reply_to_user_id);
  put(o, "quoted", t.quoted_status_id);
  put(o, "retweets", t.retweet_count);
  put(o, "favorites", t.favorite_count);
  put(o, "quotes", t.quote_count);
  put(o, "withheld_copyright", t.withheld_copyright);
  put(o, "withheld", t.withheld_in_countries);
  put(o, "source", t.source);
  put(o, "text", t.text);
  put(o, "country", t.country_code);
  put(o, "state", t.state_code);
  put(o, "lang", t.lang);
  put(o, "place", t.place_name);
  o << "geo=" << test::wkt_of(t.geo) << ";\n" << describe(t.author) << '\n';
  for (const User& m : t.mentions) o << "mention " << describe(m) << '\n';
  if (t.reply_to) o << "reply_to " << describe(*t.reply_to) << '\n';
  for (const std::string& u : t.urls) o << "url " << u << '\n';
  for (const std::string& g : t.tags) o << "tag " << g << '\n';
  for (const Media& m : t.media)
    o << "media " << m.url << ' ' << m.type << '\n';
  return o.str();
}

// The outcome of reading a line as tweets_of reads it: its tweets, "not a
// tweet", or the error.
inline std::string outcome(std::string_view line, bool nlohmann,
                           bool direct = false) {
  try {
    const std::vector<Tweet> tweets = tweets_of(line, nlohmann, nullptr, direct);
    if (tweets.empty()) return "not a tweet";
    std::string all;
    for (const Tweet& t : tweets) all += describe(t);
    return all;
  } catch (const LoadError& e) {
    return "error " + std::to_string(static_cast<int>(e.kind())) + ": " +
           e.what();
  }
}

}  // namespace test
}  // namespace tweet_loader
