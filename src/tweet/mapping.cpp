// parse_tweet: one JSON line to the row values of a tweet (see tweet.h for
// the rules). The line is parsed into a JsonTree and the tweet read from it
// through TreeView; lines the tree cannot hand on exactly go through
// nlohmann's parser into a DOM, read through DomView (nlohmann_dom.h),
// which also gives the messages for invalid JSON. map_tweet() below is the
// one place that knows which field goes where, written once for both views.
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "errors.h"
#include "json/json_tree.h"
#include "json/json_view.h"
#include "json/nlohmann_dom.h"
#include "tweet/fields.h"
#include "tweet/map_v2.h"
#include "tweet/tweet.h"
#include "tweet/v2_response.h"

namespace tweet_loader {
namespace {

using namespace fields;

// Top-level members of a stream message that is not a tweet.
constexpr const char* kStreamKeys[] = {
    "delete",        "scrub_geo",   "limit",          "status_withheld",
    "user_withheld", "disconnect",  "warning",        "event",
    "friends",       "friends_str", "direct_message", "control",
    "for_user"};

// ---------------------------------------------------------------------------
// The mapping.

template <class V>
void map_author(const V& u, const Path& up, User* a) {
  a->full = true;
  a->id = to_int64(require(u, "id", up), member(up, "id"));
  opt_string(u, "screen_name", up, &a->screen_name);
  opt_string(u, "name", up, &a->name);
  opt_string(u, "location", up, &a->location);
  opt_string(u, "description", up, &a->description);
  opt_string(u, "url", up, &a->url);
  opt_time(u, "created_at", up, &a->created_at);
  opt_int32(u, "friends_count", up, &a->friends_count);
  opt_int32(u, "listed_count", up, &a->listed_count);
  opt_int32(u, "favourites_count", up, &a->favourites_count);
  opt_int32(u, "statuses_count", up, &a->statuses_count);
  opt_bool(u, "protected", up, &a->is_protected);
  opt_bool(u, "verified", up, &a->verified);
  opt_codes(u, "withheld_in_countries", up, &a->withheld_in_countries);
}

// place: country_code, place_name, state_code; returns the bounding box
// coordinates (or an absent value) for the geometry.
template <class V>
V map_place(const V& doc, const Path& root, Tweet* t) {
  const V place = opt_object(doc, "place", root);
  if (!place) return V();
  const Path pp = member(root, "place");
  opt_string(place, "country_code", pp, &t->country_code);
  opt_string(place, "full_name", pp, &t->place_name);
  finish_place(member(pp, "country_code"), t);
  const V box = opt_object(place, "bounding_box", pp);
  if (!box) return V();
  return opt_array(box, "coordinates", member(pp, "bounding_box"));
}

template <class V>
void map_geo(const V& doc, const Path& root, const V& box, Tweet* t) {
  Geo& g = t->geo;
  if (const V geo = opt_object(doc, "geo", root)) {
    const Path gp = member(root, "geo");
    if (const V c = opt_array(geo, "coordinates", gp)) {
      const auto xy = to_point(c, member(gp, "coordinates"));
      g.kind = Geo::Kind::kPoint;
      g.x = xy.first;
      g.y = xy.second;
      return;
    }
  }
  if (!box) return;
  const Path pp = member(root, "place");
  const Path bp = member(pp, "bounding_box");
  const Path cp = member(bp, "coordinates");
  if (box.size() == 0)
    throw LoadError(
        ErrorKind::kBadInput,
        "field \"" + to_string(cp) + "\" must be a non-empty array of rings");
  g.rings.reserve(box.size());
  for (size_t r = 0; r < box.size(); ++r) {
    const Path rp = element(cp, r);
    const V ring = box.element(r);
    // PostGIS takes a ring of at least 4 points, the closing one included.
    if (ring.kind() != JsonKind::kArray || ring.size() < 3)
      throw LoadError(ErrorKind::kBadInput,
                      "field \"" + to_string(rp) +
                          "\" must be an array of at least 3 points");
    g.rings.emplace_back();
    auto& out = g.rings.back();
    out.reserve(ring.size() + 1);
    for (size_t i = 0; i < ring.size(); ++i)
      out.push_back(to_point(ring.element(i), element(rp, i)));
    // The ring ends with its first point once more, always, as the
    // assignment builds it: Twitter's boxes are 4 open corners and get a
    // 5th point, and so does a POI's box of 4 equal corners.
    out.push_back(out.front());
  }
  g.kind = Geo::Kind::kMultiPolygon;
}

template <class V>
void map_tweet(const V& doc, Tweet* t) {
  const Path root;
  t->id = to_int64(require(doc, "id", root), member(root, "id"));
  {
    const V user = require(doc, "user", root);
    const Path up = member(root, "user");
    if (user.kind() != JsonKind::kObject) fail_type(up, kAnObject, user);
    t->created_at =
        to_time(require(doc, "created_at", root), member(root, "created_at"));
    map_author(user, up, &t->author);
  }

  opt_int64(doc, "in_reply_to_status_id", root, &t->in_reply_to_status_id);
  opt_int64(doc, "in_reply_to_user_id", root, &t->in_reply_to_user_id);
  opt_int64(doc, "quoted_status_id", root, &t->quoted_status_id);
  opt_int16(doc, "retweet_count", root, &t->retweet_count);
  opt_int16(doc, "favorite_count", root, &t->favorite_count);
  opt_int16(doc, "quote_count", root, &t->quote_count);
  opt_bool(doc, "withheld_copyright", root, &t->withheld_copyright);
  opt_codes(doc, "withheld_in_countries", root, &t->withheld_in_countries);
  opt_string(doc, "source", root, &t->source);
  opt_string(doc, "lang", root, &t->lang);

  if (t->in_reply_to_user_id) {
    t->reply_to.emplace();
    t->reply_to->id = *t->in_reply_to_user_id;
    opt_string(doc, "in_reply_to_screen_name", root, &t->reply_to->screen_name);
  }

  // Text and entities come from extended_tweet when there is one, with no
  // fall back to the top level for what it lacks.
  const V ext = opt_object(doc, "extended_tweet", root);
  const Path ep = member(root, "extended_tweet");
  const V holder = ext ? ext : doc;  // the object holding (extended_)entities
  const Path& hp = ext ? ep : root;
  if (ext) {
    opt_string(ext, "full_text", ep, &t->text);
  } else {
    // The REST API with tweet_mode=extended writes the whole text as a
    // top-level full_text (and no text); the streaming API writes text.
    std::optional<std::string> text;
    opt_string(doc, "text", root, &text);
    opt_string(doc, "full_text", root, &t->text);
    if (!t->text) t->text = std::move(text);
  }
  const V entities = opt_object(holder, "entities", hp);
  const Path np = member(hp, "entities");
  const V extended = opt_object(holder, "extended_entities", hp);
  const Path xp = member(hp, "extended_entities");

  add_tags(entities, "hashtags", "text", '#', np, &t->tags);
  add_tags(entities, "symbols", "text", '$', np, &t->tags);
  each_object(entities, "user_mentions", np, [&](const V& m, const Path& p) {
    t->mentions.emplace_back();
    User& u = t->mentions.back();
    u.id = to_int64(require(m, "id", p), member(p, "id"));
    opt_string(m, "name", p, &u.name);
    opt_string(m, "screen_name", p, &u.screen_name);
  });
  each_object(entities, "urls", np, [&](const V& u, const Path& p) {
    if (const V v = find(u, "expanded_url"))
      t->urls.push_back(take_string(v, member(p, "expanded_url")));
  });
  each_object(extended, "media", xp, [&](const V& m, const Path& p) {
    t->media.emplace_back();
    Media& md = t->media.back();
    md.url = take_string(require(m, "media_url", p), member(p, "media_url"));
    md.type = take_string(require(m, "type", p), member(p, "type"));
  });

  const V box = map_place(doc, root, t);
  map_geo(doc, root, box, t);
}

// Empties *t, keeping the capacity of its lists for the next tweet.
void reset(Tweet* t) {
  std::vector<User> mentions = std::move(t->mentions);
  std::vector<std::string> urls = std::move(t->urls);
  std::vector<std::string> tags = std::move(t->tags);
  std::vector<Media> media = std::move(t->media);
  mentions.clear();
  urls.clear();
  tags.clear();
  media.clear();
  *t = Tweet();
  t->mentions = std::move(mentions);
  t->urls = std::move(urls);
  t->tags = std::move(tags);
  t->media = std::move(media);
}

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

// Members that only a v2 tweet has, and only a v2 response.
constexpr const char* kV2TweetKeys[] = {"author_id", "author", "public_metrics",
                                        "conversation_id",
                                        "edit_history_tweet_ids"};
constexpr const char* kV2ResponseKeys[] = {"data", "includes", "errors", "meta",
                                           "matching_rules"};

template <class V>
bool has_any(const V& doc, const char* const (&keys)[5]) {
  for (const char* key : keys)
    if (doc.member(key)) return true;
  return false;
}

// What a caller asks of a line (see parse_tweet): a v2 response's tweets
// as flattened texts, or mapped; or, for such a text, a v2 tweet whatever
// it holds (the elements of a response's data are v2 tweets).
struct Want {
  std::vector<std::string>* texts = nullptr;
  std::vector<Tweet>* tweets = nullptr;
  bool v2_tweet = false;
};

// What the object doc, of a line of line_size bytes, is (see parse_tweet),
// and its tweet or tweets.
template <class V>
LineKind map_document(const V& doc, size_t line_size, Tweet* out,
                      const Want& want) {
  if (want.v2_tweet) {
    v2::map_tweet(doc, v2::Inline<V>(), out);
    return LineKind::kTweet;
  }
  std::vector<std::string>* responses = want.texts;
  std::vector<Tweet>* response_tweets = want.tweets;
  const bool has_id = static_cast<bool>(doc.member("id"));
  if (!has_id && !doc.member("created_at") && !doc.member("user"))
    for (const char* key : kStreamKeys)
      if (doc.member(key)) return LineKind::kNotTweet;
  // A line of a v2 batch compliance job: {"id", "action": "delete", ...}.
  if (doc.member("action") && !doc.member("user") &&
      !doc.member("author_id") && !doc.member("text"))
    return LineKind::kNotTweet;
  if ((responses != nullptr || response_tweets != nullptr) && !has_id &&
      has_any(doc, kV2ResponseKeys)) {
    // Its tweets are written out again, and each parsed: memory grows
    // with the response, so it has a limit of its own.
    if (line_size > kMaxResponseBytes)
      throw LoadError(ErrorKind::kTooLarge,
                      "v2 response of " + std::to_string(line_size) +
                          " bytes exceeds the limit of " +
                          std::to_string(kMaxResponseBytes) + " bytes");
    // A page without data (an errors-only page, a last page) holds none.
    if (fields::find(doc, "data")) {
      if (response_tweets != nullptr)
        map_v2_response(doc, response_tweets);
      else
        flatten_v2_response(doc, responses);
    }
    const size_t n = response_tweets != nullptr ? response_tweets->size()
                                                : responses->size();
    return n == 0 ? LineKind::kNotTweet : LineKind::kResponse;
  }
  if (!doc.member("user") && has_any(doc, kV2TweetKeys))
    v2::map_tweet(doc, v2::Inline<V>(), out);
  else
    map_tweet(doc, out);
  return LineKind::kTweet;
}


// parse_tweet, through nlohmann's parser alone when tree is null.
LineKind parse(std::string_view line, JsonTree* tree, Tweet* out,
               const Want& want) {
  reset(out);
  if (want.texts != nullptr) want.texts->clear();
  if (want.tweets != nullptr) want.tweets->clear();
  bool parsed = false;
  if (tree != nullptr) {
    parsed = tree->parse(line);
    if (parsed && !tree->key_lost_nul() && !tree->huge_number() &&
        tree->root().type == JsonTree::Type::kObject)
      return map_document(TreeView(tree, &tree->root()), line.size(), out,
                          want);
  }
  LineKind kind = LineKind::kNotTweet;
  if (!is_blank(line)) {
    // nlohmann would skip a byte order mark, which only the start of a
    // file may hold (LineReader drops that one); the tree refuses it too.
    if (line.substr(0, 3) == "\xEF\xBB\xBF")
      throw LoadError(ErrorKind::kBadInput,
                      "invalid JSON: a byte order mark (U+FEFF) starts the "
                      "line (only the start of a file or zip member may "
                      "have one)");
    Json doc;
    parse_dom(line, &doc);
    kind = map_document(DomView(&doc), line.size(), out, want);
  } else if (want.v2_tweet) {
    throw LoadError(ErrorKind::kBadInput, "invalid JSON");
  }
  // Text the tree refuses is never a tweet (nlohmann refuses it too).
  if (tree != nullptr && !parsed && kind != LineKind::kNotTweet)
    throw LoadError(ErrorKind::kBadInput, "invalid JSON");
  return kind;
}

}  // namespace

LineKind parse_tweet(std::string_view line, JsonTree* tree, Tweet* out,
                     std::vector<std::string>* responses,
                     std::vector<Tweet>* response_tweets) {
  return parse(line, tree, out, Want{responses, response_tweets, false});
}

LineKind parse_tweet_with_nlohmann(std::string_view line, Tweet* out,
                                   std::vector<std::string>* responses,
                                   std::vector<Tweet>* response_tweets) {
  return parse(line, nullptr, out, Want{responses, response_tweets, false});
}

void parse_v2_tweet(std::string_view text, JsonTree* tree, Tweet* out) {
  parse(text, tree, out, Want{nullptr, nullptr, true});
}

}  // namespace tweet_loader
