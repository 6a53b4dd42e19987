#!/usr/bin/env python3
"""Rewrite Twitter API v1.1 JSON lines as API v2 files, as twarc2 stores them.

Usage:
  to_v2.py IN.jsonl OUT_PREFIX [--page-size N]

Writes OUT_PREFIX.page.jsonl (response pages: {"data": [...], "includes":
{"users", "tweets", "media", "places"}, "meta", "__twarc"}) and
OUT_PREFIX.flat.jsonl (one tweet per line, its expansions inlined as
`twarc2 flatten` writes them). Lines that are not tweets are dropped.

The same tweet gives the same row values in either format (the loader's
rule, in the README): author_id, created_at in ISO 8601, referenced_tweets,
public_metrics, withheld, note_tweet for extended_tweet, hashtags/cashtags
tags, mentions with ids on odd pages and by username only on even ones,
attachments.media_keys, geo.place_id with the place's bbox, geo.coordinates
in GeoJSON order. Retweeted and quoted tweets go to includes.tweets. One
field differs by nature: `source` is plain text in v2, an HTML link in v1.1.
A page holds one version of each user (a page ends early when a tweet
brings another), as an API page does.
"""

import argparse
import datetime
import json
import re
import zlib


def iso(twitter_time):
    t = datetime.datetime.strptime(twitter_time, "%a %b %d %H:%M:%S %z %Y")
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def user_v2(u):
    out = {"id": u["id_str"], "username": u["screen_name"], "name": u["name"],
           "created_at": iso(u["created_at"]), "location": u["location"],
           "url": u["url"] or "", "protected": u["protected"],
           "verified": u["verified"],
           "public_metrics": {"followers_count": u["followers_count"],
                              "following_count": u["friends_count"],
                              "tweet_count": u["statuses_count"],
                              "listed_count": u["listed_count"],
                              "like_count": u["favourites_count"]}}
    if u.get("description") is not None:
        out["description"] = u["description"]
    if u.get("withheld_in_countries"):
        out["withheld"] = {"country_codes": u["withheld_in_countries"]}
    return out


def entities_v2(e, with_ids):
    out = {}
    if e.get("hashtags"):
        out["hashtags"] = [{"start": h["indices"][0], "end": h["indices"][1], "tag": h["text"]}
                           for h in e["hashtags"]]
    if e.get("symbols"):
        out["cashtags"] = [{"start": h["indices"][0], "end": h["indices"][1], "tag": h["text"]}
                           for h in e["symbols"]]
    if e.get("user_mentions"):
        out["mentions"] = []
        for m in e["user_mentions"]:
            v = {"start": m["indices"][0], "end": m["indices"][1], "username": m["screen_name"]}
            if with_ids:
                v["id"] = m["id_str"]
            out["mentions"].append(v)
    if e.get("urls"):
        out["urls"] = [dict({"start": u["indices"][0], "end": u["indices"][1], "url": u["url"]},
                            **({"expanded_url": u["expanded_url"]} if "expanded_url" in u else {}))
                       for u in e["urls"]]
    return out


def media_v2(m):
    v = {"media_key": "%d_%s" % ({"photo": 3, "video": 7}.get(m["type"], 16), m["id_str"]),
         "type": m["type"], "width": m["sizes"]["large"]["w"], "height": m["sizes"]["large"]["h"]}
    if m["type"] == "photo":
        v["url"] = m["media_url"]
    else:
        v["preview_image_url"] = m["media_url"]
    return v


def place_id(p):
    """The generator draws a new box for each use of a named place; here a
    box is a place of its own, as on Twitter."""
    box = json.dumps(p["bounding_box"]["coordinates"])
    return "%s%08x" % (p["id"], zlib.crc32(box.encode()))


def place_v2(p):
    ring = p["bounding_box"]["coordinates"][0]
    xs, ys = [c[0] for c in ring], [c[1] for c in ring]
    return {"id": place_id(p), "full_name": p["full_name"], "name": p["name"],
            "country_code": p["country_code"], "country": p["country"],
            "place_type": p["place_type"],
            "geo": {"type": "Feature", "bbox": [min(xs), min(ys), max(xs), max(ys)],
                    "properties": {}}}


def tweet_v2(t, with_ids):
    """The v2 tweet of a v1.1 tweet and what it refers to:
    (tweet, users, tweets, media, places), each of the last a list; users
    as (referenced, user) pairs, referenced when only a referenced tweet
    brings the user (its version then yields to the tweet's own)."""
    users, tweets, media, places = [(False, user_v2(t["user"]))], [], [], []
    v = {"id": t["id_str"], "text": t["text"], "author_id": t["user"]["id_str"],
         "created_at": iso(t["created_at"]), "lang": t["lang"],
         "conversation_id": t["id_str"],
         "source": re.sub(r"<[^>]*>", "", t["source"]),
         "public_metrics": {"retweet_count": t["retweet_count"], "reply_count": t["reply_count"],
                            "like_count": t["favorite_count"], "quote_count": t["quote_count"]}}
    refs = []
    if t.get("in_reply_to_status_id") is not None:
        refs.append({"type": "replied_to", "id": t["in_reply_to_status_id_str"]})
    if t.get("in_reply_to_user_id") is not None:
        v["in_reply_to_user_id"] = t["in_reply_to_user_id_str"]
        users.append((False, {"id": t["in_reply_to_user_id_str"],
                              "username": t["in_reply_to_screen_name"]}))
    for key, kind in (("retweeted_status", "retweeted"), ("quoted_status", "quoted")):
        if key in t:
            refs.append({"type": kind, "id": t[key]["id_str"]})
            inner, u2, t2, m2, p2 = tweet_v2(t[key], with_ids)
            tweets += [inner] + t2
            users += [(True, u) for _, u in u2]
            media += m2
            places += p2
    if refs:
        v["referenced_tweets"] = refs
    ext = t.get("extended_tweet")
    holder = ext or t
    ents = entities_v2(t["entities"], with_ids)
    if ents:
        v["entities"] = ents
    if ext:
        v["note_tweet"] = {"text": ext["full_text"], "entities": entities_v2(ext["entities"], with_ids)}
    for m in holder.get("entities", {}).get("user_mentions", []):
        users.append((False, {"id": m["id_str"], "username": m["screen_name"], "name": m["name"]}))
    found = holder.get("extended_entities", {}).get("media", [])
    if found:
        v["attachments"] = {"media_keys": [media_v2(m)["media_key"] for m in found]}
        media += [media_v2(m) for m in found]
    if t.get("place"):
        v["geo"] = {"place_id": place_id(t["place"])}
        places.append(place_v2(t["place"]))
    if t.get("geo"):
        lat, lon = t["geo"]["coordinates"]
        v.setdefault("geo", {})["coordinates"] = {"type": "Point", "coordinates": [lon, lat]}
    if t.get("withheld_in_countries") or t.get("withheld_copyright") is not None:
        w = {}
        if t.get("withheld_copyright") is not None:
            w["copyright"] = t["withheld_copyright"]
        if t.get("withheld_in_countries") is not None:
            w["country_codes"] = t["withheld_in_countries"]
        v["withheld"] = w
    return v, users, tweets, media, places


class Page:
    """Includes keyed by id; a tweet that brings a different version of
    something already in the page does not fit."""

    def __init__(self):
        self.data, self.inc = [], {"users": {}, "tweets": {}, "media": {}, "places": {}}
        self.names = {}

    def add(self, tweet, users, tweets, media, places):
        inc = {kind: dict(objs) for kind, objs in self.inc.items()}
        names = dict(self.names)
        # A tweet's own users first: a referenced tweet's copy of one of
        # them takes the page's version.
        own = [u for ref, u in users if not ref] + [u for ref, u in users if ref]
        refs = {id(u) for ref, u in users if ref}
        for kind, objs, key in (("users", own, "id"), ("tweets", tweets, "id"),
                                ("media", media, "media_key"), ("places", places, "id")):
            for o in objs:
                old = inc[kind].get(o[key], {})
                if any(old[k] != o[k] for k in o.keys() & old.keys()):
                    if id(o) in refs:
                        continue
                    return False
                inc[kind][o[key]] = dict(old, **o)
                if kind == "users":
                    if names.setdefault(o["username"], o["id"]) != o["id"]:
                        return False
        self.inc, self.names = inc, names
        self.data.append(tweet)
        return True

    def response(self, n):
        inc = {k: list(v.values()) for k, v in self.inc.items() if v}
        return {"data": self.data, "includes": inc,
                "meta": {"result_count": len(self.data), "newest_id": self.data[0]["id"],
                         "oldest_id": self.data[-1]["id"]},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all?page=%d" % n,
                            "version": "2.1.0", "retrieved_at": "2023-01-01T00:00:00+00:00"}}


def flatten(t, users, tweets, media, places):
    """The flat line of one v2 tweet, built from its own parts."""
    by_id = {}
    for ref in (True, False):  # the tweet's own versions last: they win
        for r, u in users:
            if r == ref:
                by_id[u["id"]] = dict(by_id.get(u["id"], {}), **u)
    by_name = {u["username"]: u for u in by_id.values()}
    out = json.loads(json.dumps(t))
    out["author"] = by_id[t["author_id"]]
    if "in_reply_to_user_id" in t:
        out["in_reply_to_user"] = by_id[t["in_reply_to_user_id"]]
    for holder in (out.get("entities"), out.get("note_tweet", {}).get("entities")):
        for m in (holder or {}).get("mentions", []):
            m.update(by_name[m["username"]])
    if "attachments" in out:
        keyed = {m["media_key"]: m for m in media}
        out["attachments"]["media"] = [keyed[k] for k in out["attachments"]["media_keys"]]
    if "geo" in out and "place_id" in out["geo"]:
        out["geo"].update({p["id"]: p for p in places}[out["geo"]["place_id"]])
    if "referenced_tweets" in out:
        keyed = {x["id"]: x for x in tweets}
        for r in out["referenced_tweets"]:
            if r["id"] in keyed:
                r.update(keyed[r["id"]])
                r["author"] = by_id[r["author_id"]]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("prefix")
    ap.add_argument("--page-size", type=int, default=100)
    a = ap.parse_args()
    with open(a.input, encoding="utf-8") as inp, \
            open(a.prefix + ".page.jsonl", "w", encoding="utf-8") as pages, \
            open(a.prefix + ".flat.jsonl", "w", encoding="utf-8") as flat:
        n, page = 0, Page()
        for line in inp:
            try:
                t = json.loads(line)
            except ValueError:
                continue
            if not isinstance(t, dict) or "user" not in t:
                continue
            with_ids = n % 2 == 1
            parts = tweet_v2(t, with_ids)
            flat.write(json.dumps(flatten(*tweet_v2(t, True)), ensure_ascii=False) + "\n")
            if len(page.data) == a.page_size or not page.add(*parts):
                pages.write(json.dumps(page.response(n), ensure_ascii=False) + "\n")
                n += 1
                page = Page()
                assert page.add(*tweet_v2(t, n % 2 == 1))
        if page.data:
            pages.write(json.dumps(page.response(n), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
