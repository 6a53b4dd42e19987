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

// The outcome of parsing a line: the tweet, "not a tweet", a v2
// response's tweets, or the error. parse is called as parse_tweet is.
template <class Parse>
std::string outcome(Parse parse, std::string_view line) {
  Tweet t;
  try {
    std::vector<std::string> responses;
    const LineKind kind = parse(line, &t, &responses);
    if (kind != LineKind::kResponse)
      return kind == LineKind::kTweet ? describe(t) : "not a tweet";
    std::string all = "response\n";
    for (const std::string& text : responses)
      all += parse(text, &t, nullptr) == LineKind::kTweet ? describe(t)
                                                          : "not a tweet\n";
    return all;
  } catch (const LoadError& e) {
    return "error " + std::to_string(static_cast<int>(e.kind())) + ": " +
           e.what();
  }
}

}  // namespace test
}  // namespace tweet_loader
