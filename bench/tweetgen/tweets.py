"""Tweets, retweets, stream messages and the lines of one file."""

import json
import random
import zlib

from tweetgen.pools import (CORONA, INT16_MAX, LANG, PLACE, SRC, WITHHELD,
    pick, snowflake, token, twitter_time)
from tweetgen.users import (TextBuilder, fill_text, make_media)

# ---------------------------------------------------------------- tweets


# How often a tweet is of each kind. SMALL_MIX makes tweets of 2 to 3 kB
# on average (few retweets and quotes, which embed a whole tweet), the
# default about 4.3 kB.
DEFAULT_MIX = {"retweet": 0.30, "quote": 0.10, "extended": 0.36, "place": 0.6}
SMALL_MIX = {"retweet": 0.02, "quote": 0.01, "extended": 0.05, "place": 0.1}


class Generator:
    def __init__(self, seed, file_index, start_ms, users, mix=DEFAULT_MIX):
        self.mix = mix
        self.rng = random.Random("%s/file/%d" % (seed, file_index))
        self.worker = file_index % 1000
        self.ms = start_ms
        self.users = users

    def tweet(self, ms, tid, embedded=0):
        """One tweet object created at ms with id tid; embedded = nesting depth."""
        rng = self.rng
        user = self.users.author(rng)
        lang = pick(rng, LANG)
        tb = TextBuilder()
        reply = None
        if not embedded and rng.random() < 0.15:
            reply = self.users.mentioned(rng) if rng.random() < 0.3 else self.users.author(rng)
            tb.mentions.append({"screen_name": reply["screen_name"], "name": reply["name"],
                                "id": reply["id"], "id_str": reply["id_str"],
                                "indices": tb.add("@" + reply["screen_name"])})
        body_start = tb.n + 1 if tb.parts else 0
        extended = rng.random() < self.mix["extended"]
        if rng.random() < 0.30:  # coronavirus-related tags (sometimes twice)
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                tag = pick(rng, CORONA)
                if rng.random() < 0.02:  # U+0000 inside a hashtag
                    cut = rng.randint(1, len(tag) - 1)
                    tag = tag[:cut] + "\u0000" + tag[cut:]
                if rng.random() < 0.5:
                    fill_text(rng, tb, self.users, lang, tb.n + rng.randint(5, 40))
                tb.hashtags.append({"text": tag, "indices": tb.add("#" + tag)})
        fill_text(rng, tb, self.users, lang,
                  rng.randint(150, 270) if extended else rng.randint(20, 110))
        r = rng.random()
        if r < 0.006:
            tb.add("nul\u0000here")
        elif r < 0.010 and self.literal_backslash:
            tb.add("literal \\u0000 escape")
        media = None
        if rng.random() < 0.18:
            media = make_media(rng, tid, user["screen_name"], None)
            ind = tb.add(media[0]["url"])
            for m in media:
                m["indices"] = ind
        full_text = tb.text()
        entities = {"hashtags": tb.hashtags, "urls": tb.urls,
                    "user_mentions": tb.mentions, "symbols": tb.symbols}
        if media:
            entities["media"] = [media[0]]
        ext = None
        if extended and len(full_text) > 140:
            cut = rng.randint(100, 117)
            link = "https://t.co/" + token(rng, 10)
            text = full_text[:cut].rstrip() + "… " + link
            top = {k: [e for e in v if e["indices"][1] <= cut]
                   for k, v in entities.items() if k != "media"}
            top["urls"].append({"url": link,
                                "expanded_url": "https://twitter.com/i/web/status/%d" % tid,
                                "display_url": "twitter.com/i/web/status/1…",
                                "indices": [len(text) - len(link), len(text)]})
            ext = {"full_text": full_text, "display_text_range": [body_start, len(full_text)],
                   "entities": entities}
            if media:
                ext["extended_entities"] = {"media": media}
            entities, truncated = top, True
        else:
            text, truncated = full_text, False

        src = pick(rng, SRC)
        t = {"created_at": twitter_time(ms), "id": tid, "id_str": str(tid), "text": text}
        if reply or media:
            t["display_text_range"] = [body_start, len(text)]
        t["source"] = '<a href="%s" rel="nofollow">%s</a>' % src
        t["truncated"] = truncated
        rid = snowflake(ms - rng.randint(60_000, 86_400_000), rng.randint(0, 1023),
                        rng.randint(0, 4095)) if reply else None
        t["in_reply_to_status_id"] = rid
        t["in_reply_to_status_id_str"] = str(rid) if reply else None
        t["in_reply_to_user_id"] = reply["id"] if reply else None
        t["in_reply_to_user_id_str"] = reply["id_str"] if reply else None
        t["in_reply_to_screen_name"] = reply["screen_name"] if reply else None
        t["user"] = user
        t["geo"] = t["coordinates"] = t["place"] = None
        if rng.random() < self.mix["place"]:
            t["place"], point = self.place()
            if rng.random() < 0.085:
                t["geo"] = {"type": "Point", "coordinates": [point[1], point[0]]}
                t["coordinates"] = {"type": "Point", "coordinates": point}
        t["contributors"] = None
        if not embedded and rng.random() < self.mix["quote"]:
            qms = ms - rng.randint(60_000, 3 * 86_400_000)
            qid = snowflake(qms, 1000 + rng.randint(0, 23), rng.randint(0, 4095))
            q = self.tweet(qms, qid, embedded + 1)
            t["quoted_status_id"] = qid
            t["quoted_status_id_str"] = str(qid)
            t["quoted_status"] = q
            t["is_quote_status"] = True
            link = "https://twitter.com/%s/status/%d" % (q["user"]["screen_name"], qid)
            t["quoted_status_permalink"] = {"url": "https://t.co/" + token(rng, 10),
                                            "expanded": link,
                                            "display": link[8:34] + "…"}
        else:
            t["is_quote_status"] = False
        if ext:
            t["extended_tweet"] = ext
        small = embedded and rng.random() < 0.8
        t["quote_count"] = rng.randint(0, 400 if small else 3)
        t["reply_count"] = rng.randint(0, 900 if small else 5)
        t["retweet_count"] = min(INT16_MAX, int(rng.paretovariate(1.3)) - 1 if not small
                                 else rng.randint(0, INT16_MAX))
        t["favorite_count"] = min(INT16_MAX, int(rng.paretovariate(1.2)) - 1 if not small
                                  else rng.randint(0, INT16_MAX))
        t["entities"] = entities
        if media and not ext:
            t["extended_entities"] = {"media": media}
        t["favorited"] = False
        t["retweeted"] = False
        if media or tb.urls:
            t["possibly_sensitive"] = rng.random() < 0.03
        t["filter_level"] = "low"
        t["lang"] = lang
        r = rng.random()
        if r < 0.003:
            t["withheld_copyright"] = True
            t["withheld_in_countries"] = ["DE", "FR"]
            t["withheld_scope"] = "status"
        elif r < 0.008:
            t["withheld_in_countries"] = rng.sample(WITHHELD, rng.randint(1, 4))
        return t

    def retweet(self, ms, tid):
        """A retweet: 'RT @x: ...' with the original embedded."""
        rng = self.rng
        oms = ms - rng.randint(30_000, 2 * 86_400_000)
        oid = snowflake(oms, 1000 + rng.randint(0, 23), rng.randint(0, 4095))
        orig = self.tweet(oms, oid, 1)
        ou = orig["user"]
        src_text = orig.get("extended_tweet", {}).get("full_text", orig["text"])
        src_ent = orig.get("extended_tweet", {}).get("entities", orig["entities"])
        head = "RT @%s: " % ou["screen_name"]
        text = head + src_text
        if len(text) > 140:
            text = text[:139] + "…"
        shift = len(head)
        ents = {"hashtags": [], "urls": [], "user_mentions": [], "symbols": []}
        ents["user_mentions"].append({"screen_name": ou["screen_name"], "name": ou["name"],
                                      "id": ou["id"], "id_str": ou["id_str"],
                                      "indices": [3, 4 + len(ou["screen_name"])]})
        for k in ents:
            for e in src_ent.get(k, []):
                a, b = e["indices"]
                if b + shift <= 139:
                    e2 = dict(e)
                    e2["indices"] = [a + shift, b + shift]
                    ents[k].append(e2)
        t = self.tweet(ms, tid, 2)  # the retweeter's envelope
        t["text"] = text
        t.pop("display_text_range", None)
        t.pop("extended_tweet", None)
        t.pop("extended_entities", None)
        t.pop("possibly_sensitive", None)
        t["truncated"] = False
        t["lang"] = orig["lang"]
        t["retweeted_status"] = orig
        for k in ("quote_count", "reply_count", "retweet_count", "favorite_count"):
            t[k] = 0
        t["entities"] = ents
        src_media = orig.get("extended_tweet", orig).get("extended_entities", {}).get("media")
        if src_media and src_media[0]["indices"][1] + shift <= 139:
            ind = [i + shift for i in src_media[0]["indices"]]
            media = [dict(m, indices=ind) for m in src_media]
            ents["media"] = [media[0]]
            t["extended_entities"] = {"media": media}
        # keep the v1.1 field order: retweeted_status before is_quote_status
        order = list(t)
        order.remove("retweeted_status")
        order.insert(order.index("is_quote_status"), "retweeted_status")
        return {k: t[k] for k in order}

    def next_tweet(self):
        rng = self.rng
        self.ms += rng.randint(1, 2 * self.step_ms)
        tid = snowflake(self.ms, self.worker, rng.randint(0, 4095))
        if rng.random() < self.mix["retweet"]:
            t = self.retweet(self.ms, tid)
        else:
            t = self.tweet(self.ms, tid)
        t["timestamp_ms"] = str(self.ms)
        return t

    def place(self):
        rng = self.rng
        ptype, name, full, cc, country, lon, lat, _ = pick(rng, PLACE)
        dx = {"poi": 0.0005, "city": 0.3, "admin": 5.0, "country": 25.0}[ptype]
        x0, y0 = round(lon - dx * rng.uniform(0.5, 1), 6), round(lat - dx * rng.uniform(0.5, 1), 6)
        x1, y1 = round(lon + dx * rng.uniform(0.5, 1), 6), round(lat + dx * rng.uniform(0.5, 1), 6)
        pid = "%08x%08x" % (zlib.crc32(full.encode()), zlib.crc32(name.encode()))
        place = {"id": pid, "url": "https://api.twitter.com/1.1/geo/id/%s.json" % pid,
                 "place_type": ptype, "name": name, "full_name": full,
                 "country_code": cc, "country": country,
                 "bounding_box": {"type": "Polygon", "coordinates": [
                     [[x0, y0], [x0, y1], [x1, y1], [x1, y0]]]},
                 "attributes": {}}
        point = [round(rng.uniform(x0, x1), 8), round(rng.uniform(y0, y1), 8)]
        return place, point

    def stream_message(self):
        """A non-tweet line: blank, limit, delete or withheld notice."""
        rng = self.rng
        r = rng.random()
        ts = str(self.ms)
        if r < 0.3:
            return ""
        if r < 0.65:
            return json.dumps({"limit": {"track": rng.randint(1, 500), "timestamp_ms": ts}},
                              separators=(",", ":"))
        if r < 0.95:
            sid = snowflake(self.ms - rng.randint(10**6, 10**9), rng.randint(0, 1023), 7)
            uid = rng.randint(10**6, 10**12)
            return json.dumps({"delete": {"status": {"id": sid, "id_str": str(sid),
                                                     "user_id": uid, "user_id_str": str(uid)},
                                          "timestamp_ms": ts}}, separators=(",", ":"))
        sid = snowflake(self.ms - rng.randint(10**6, 10**9), rng.randint(0, 1023), 9)
        return json.dumps({"status_withheld": {"id": sid, "user_id": rng.randint(10**6, 10**9),
                                               "withheld_in_countries": ["DE"],
                                               "timestamp_ms": ts}}, separators=(",", ":"))


def encode(rng, obj):
    """Serializes like the streaming API: no spaces, mostly escaped slashes,
    some lines with non-ASCII as \\u escapes (surrogate pairs for emoji)."""
    s = json.dumps(obj, ensure_ascii=rng.random() < 0.25, separators=(",", ":"))
    if rng.random() < 0.9:
        s = s.replace("/", "\\/")  # '/' only ever occurs inside strings
    return s


def file_lines(gen, tweets, prev_pool, pool_out):
    """Yields (line, is_tweet) for one file; fills pool_out with lines that a
    later file may repeat."""
    rng = gen.rng
    recent = []
    made = 0
    while made < tweets:
        if rng.random() < 0.01:
            yield gen.stream_message(), False
            continue
        r = rng.random()
        if r < 0.02 and recent:
            line = rng.choice(recent)  # repeated within this file
        elif r < 0.04 and prev_pool:
            line = rng.choice(prev_pool)  # repeated from an earlier file
        else:
            line = encode(rng, gen.next_tweet())
            recent.append(line)
            if len(recent) > 300:
                del recent[rng.randrange(len(recent))]
            if rng.random() < 0.05:
                if len(pool_out) < 500:
                    pool_out.append(line)
                else:
                    pool_out[rng.randrange(500)] = line
        made += 1
        yield line, True
