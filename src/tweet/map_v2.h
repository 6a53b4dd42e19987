// The mapping of one Twitter API v2 tweet to the row values of a v1.1
// tweet: the same tweet gives the same rows in either format. The table of
// fields is in the README. Written against fields.h like the v1.1 mapping,
// once for both JSON views, and once for both places a v2 tweet finds what
// it refers to (the context X): a flattened tweet holds it (Inline, below),
// a tweet of a response has it in `includes` (v2_response.cpp), where it
// is read as the flattened text would hold it, twarc's {**entry, **found}.
#pragma once

#include "tweet/fields.h"
#include "tweet/tweet.h"

namespace tweet_loader {
namespace v2 {

using namespace fields;

// What a flattened tweet refers to: in itself.
template <class V>
struct Inline {
  V author(const V& doc, const Path& root) const {
    return opt_object(doc, "author", root);
  }
  V reply_user(const V& doc, const Path& root) const {
    return opt_object(doc, "in_reply_to_user", root);
  }
  // What is merged over a mention, a geo, a referenced_tweets entry.
  V mention_user(const V&) const { return V(); }
  V place(const V&) const { return V(); }
  V referenced(const V&) const { return V(); }
  template <class F>
  void each_media(const V& att, const Path& ap, F f) const {
    each_object(att, "media", ap, f);
  }
};

// Member key of {**base, **over}: over's when over has it.
template <class V>
V pick(const V& base, const V& over, const char* key) {
  if (over) {
    if (const V v = over.member(key)) return v;
  }
  return base.member(key);
}

// v, or an absent value when it is null.
template <class V>
V non_null(const V& v) {
  return v && v.kind() != JsonKind::kNull ? v : V();
}

// A string member of {**base, **over}.
template <class V>
void pick_string(const V& base, const V& over, const char* key,
                 const Path& parent, std::optional<std::string>* out) {
  const V v = pick(base, over, key);
  if (v && v.kind() != JsonKind::kNull)
    out->emplace(take_string(v, member(parent, key)));
}

// A user object (the expanded author, or {} when the response lacked it).
template <class V>
void map_user(const V& u, const Path& up, int64_t id, User* a) {
  a->id = id;
  // twarc writes {} for an author the response did not include (a
  // suspended account): the users row is then partial, the id alone.
  a->full = u && u.kind() == JsonKind::kObject && u.size() > 0;
  if (!a->full) return;
  opt_string(u, "username", up, &a->screen_name);
  opt_string(u, "name", up, &a->name);
  opt_string(u, "location", up, &a->location);
  opt_string(u, "description", up, &a->description);
  opt_string(u, "url", up, &a->url);
  if (a->url && a->url->empty()) a->url.reset();  // v2 writes "" for none
  opt_iso_time(u, "created_at", up, &a->created_at);
  if (const V m = opt_object(u, "public_metrics", up)) {
    const Path mp = member(up, "public_metrics");
    opt_int32(m, "following_count", mp, &a->friends_count);
    opt_int32(m, "listed_count", mp, &a->listed_count);
    opt_int32(m, "like_count", mp, &a->favourites_count);
    opt_int32(m, "tweet_count", mp, &a->statuses_count);
  }
  opt_bool(u, "protected", up, &a->is_protected);
  opt_bool(u, "verified", up, &a->verified);
  if (const V w = opt_object(u, "withheld", up))
    opt_codes(w, "country_codes", member(up, "withheld"),
              &a->withheld_in_countries);
}

// geo merged with its place: the point of geo.coordinates, else the
// place's box.
template <class V>
void map_geo(const V& g, const V& place, const Path& gp, Tweet* t) {
  pick_string(g, place, "country_code", gp, &t->country_code);
  pick_string(g, place, "full_name", gp, &t->place_name);
  finish_place(member(gp, "country_code"), t);
  const Path cp = member(gp, "coordinates");
  if (const V c = non_null(pick(g, place, "coordinates"))) {
    if (c.kind() != JsonKind::kObject) fail_type(cp, kAnObject, c);
    if (const V xy = opt_array(c, "coordinates", cp)) {
      // GeoJSON [longitude, latitude]; the layouts store v1.1's geo
      // order, POINT(latitude longitude).
      const auto p = to_point(xy, member(cp, "coordinates"));
      t->geo.kind = Geo::Kind::kPoint;
      t->geo.x = p.second;
      t->geo.y = p.first;
      return;
    }
  }
  const Path pg = member(gp, "geo");
  const V place_geo = non_null(pick(g, place, "geo"));
  if (!place_geo) return;
  if (place_geo.kind() != JsonKind::kObject) fail_type(pg, kAnObject, place_geo);
  const V bbox = opt_array(place_geo, "bbox", pg);
  if (!bbox) return;
  const Path bp = member(pg, "bbox");
  if (bbox.size() != 4)
    throw LoadError(ErrorKind::kBadInput, "field \"" + to_string(bp) +
                                              "\" must be an array of 4 numbers");
  double b[4];
  for (size_t i = 0; i < 4; ++i) b[i] = to_double(bbox.element(i), element(bp, i));
  // [west, south, east, north] as v1.1's ring: SW, NW, NE, SE, and SW again.
  t->geo.rings.assign(1, {{b[0], b[1]}, {b[0], b[3]}, {b[2], b[3]},
                          {b[2], b[1]}, {b[0], b[1]}});
  t->geo.kind = Geo::Kind::kMultiPolygon;
}

template <class V, class X>
void map_tweet(const V& doc, const X& x, Tweet* t) {
  const Path root;
  t->id = to_id(require(doc, "id", root), member(root, "id"));
  t->created_at = to_iso_time(require(doc, "created_at", root),
                              member(root, "created_at"));
  const int64_t author_id =
      to_id(require(doc, "author_id", root), member(root, "author_id"));
  map_user(x.author(doc, root), member(root, "author"), author_id, &t->author);

  opt_id(doc, "in_reply_to_user_id", root, &t->in_reply_to_user_id);
  // The first of each kind of reference.
  each_object(doc, "referenced_tweets", root, [&](const V& r, const Path& p) {
    const V found = x.referenced(r);
    std::optional<std::string> type;
    pick_string(r, found, "type", p, &type);
    std::optional<int64_t>* target =
        type == "replied_to" ? &t->in_reply_to_status_id
        : type == "quoted"   ? &t->quoted_status_id
                             : nullptr;
    if (target == nullptr || *target) return;
    const V id = pick(r, found, "id");
    if (!id) fail_missing(member(p, "id"));
    *target = to_id(id, member(p, "id"));
  });
  if (const V m = opt_object(doc, "public_metrics", root)) {
    const Path mp = member(root, "public_metrics");
    opt_int16(m, "retweet_count", mp, &t->retweet_count);
    opt_int16(m, "like_count", mp, &t->favorite_count);
    opt_int16(m, "quote_count", mp, &t->quote_count);
  }
  if (const V w = opt_object(doc, "withheld", root)) {
    const Path wp = member(root, "withheld");
    opt_bool(w, "copyright", wp, &t->withheld_copyright);
    opt_codes(w, "country_codes", wp, &t->withheld_in_countries);
  }
  opt_string(doc, "source", root, &t->source);
  opt_string(doc, "lang", root, &t->lang);

  if (t->in_reply_to_user_id) {
    t->reply_to.emplace();
    t->reply_to->id = *t->in_reply_to_user_id;
    if (const V u = x.reply_user(doc, root))
      opt_string(u, "username", member(root, "in_reply_to_user"),
                 &t->reply_to->screen_name);
  }

  // A long tweet's whole text and entities are in note_tweet, as v1.1's
  // are in extended_tweet, with no fall back to the top level.
  const V note = opt_object(doc, "note_tweet", root);
  const Path np = member(root, "note_tweet");
  const V holder = note ? note : doc;
  const Path& hp = note ? np : root;
  opt_string(holder, "text", hp, &t->text);
  const V entities = opt_object(holder, "entities", hp);
  const Path ep = member(hp, "entities");
  add_tags(entities, "hashtags", "tag", '#', ep, &t->tags);
  add_tags(entities, "cashtags", "tag", '$', ep, &t->tags);
  // A mention whose user the response did not include has no id: no row.
  each_object(entities, "mentions", ep, [&](const V& m, const Path& p) {
    const V user = x.mention_user(m);
    const V id = non_null(pick(m, user, "id"));
    if (!id) return;
    t->mentions.emplace_back();
    User& u = t->mentions.back();
    u.id = to_id(id, member(p, "id"));
    pick_string(m, user, "name", p, &u.name);
    pick_string(m, user, "username", p, &u.screen_name);
  });
  each_object(entities, "urls", ep, [&](const V& u, const Path& p) {
    if (const V v = find(u, "expanded_url"))
      t->urls.push_back(take_string(v, member(p, "expanded_url")));
  });
  // Media: its url, or for a video or GIF its preview image (v1.1's
  // media_url is that image too); an item without either, or without a
  // type ({} for a key the response lacked), has no row.
  if (const V att = opt_object(doc, "attachments", root)) {
    const Path ap = member(root, "attachments");
    x.each_media(att, ap, [&](const V& m, const Path& p) {
      std::optional<std::string> url, type;
      opt_string(m, "url", p, &url);
      if (!url) opt_string(m, "preview_image_url", p, &url);
      opt_string(m, "type", p, &type);
      if (!url || !type) return;
      t->media.push_back(Media{std::move(*url), std::move(*type)});
    });
  }
  if (const V g = opt_object(doc, "geo", root))
    map_geo(g, x.place(g), member(root, "geo"), t);
}

}  // namespace v2
}  // namespace tweet_loader
