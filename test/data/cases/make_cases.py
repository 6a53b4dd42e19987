#!/usr/bin/env python3
"""Writes mapping.jsonl: hand-made tweets, one per mapping rule, whose
expected rows are spelled out in test/sql/mapping.sql; second_copy.jsonl, loaded
after it, and repeat_in_file.jsonl for the same test; url_deleted.jsonl for
test/sql/foreign_keys.sql. Run from this folder."""
import json


def user(id, **kw):
    d = {"id": id, "id_str": str(id)}
    d.update(kw)
    return d


# Tweet 1: plain tweet (no extended_tweet) using every column: U+0000 in
# text and description, a literal backslash-u0000 kept, an emoji with a
# joiner, a reply, a quote, a geo point (wins over the place's box), a US
# place, duplicate hashtags, a symbol, a null expanded_url.
alice = user(100, screen_name="alice", name="Alice", location="Paris",
             description="d\x00esc", url="http://a.example",
             created_at="Mon Jan 01 00:00:00 +0000 2018",
             friends_count=1, listed_count=2, favourites_count=3,
             statuses_count=4, protected=False, verified=True,
             withheld_in_countries=["DE", "XX"])
t1 = {"created_at": "Fri Jan 01 00:00:01 +0000 2021", "id": 1, "id_str": "1",
      "text": "hello \x00world \\u0000 kept \U0001F469\u200D\U0001F4BB",
      "source": "web", "in_reply_to_status_id": 99,
      "in_reply_to_user_id": 300, "in_reply_to_screen_name": "carol",
      "quoted_status_id": 98, "user": alice,
      "geo": {"type": "Point", "coordinates": [40.5, -73.25]},
      "place": {"country_code": "US", "full_name": "Austin, TX",
                "bounding_box": {"type": "Polygon",
                                 "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0]]]}},
      "retweet_count": 5, "favorite_count": 6, "quote_count": 7,
      "entities": {"hashtags": [{"text": "CoronaVirus"}, {"text": "a"}, {"text": "a"}],
                   "symbols": [{"text": "TSLA"}],
                   "user_mentions": [{"id": 200, "name": "Bob", "screen_name": "bob"}],
                   "urls": [{"expanded_url": "http://x.example/1"},
                            {"expanded_url": None}]},
      "withheld_copyright": True, "withheld_in_countries": ["FR"], "lang": "en"}

# Tweet 2: extended tweet: text, entities and media come from
# extended_tweet only; geo null, so the place's box becomes the geometry.
t2 = {"created_at": "Sat Jan 02 00:00:00 +0000 2021", "id": 2, "text": "short",
      "user": dict(alice, screen_name="alice2"),
      "extended_tweet": {
          "full_text": "the full text",
          "entities": {"hashtags": [{"text": "ext"}], "symbols": [],
                       "user_mentions": [], "urls": []},
          "extended_entities": {"media": [{"media_url": "http://m.example/1.jpg",
                                           "type": "photo"}]}},
      "entities": {"hashtags": [{"text": "notused"}],
                   "urls": [{"expanded_url": "http://notused.example"}]},
      "extended_entities": {"media": [{"media_url": "http://notused.example/1.jpg",
                                       "type": "photo"}]},
      "geo": None,
      "place": {"country_code": "GB", "full_name": "London, England",
                "bounding_box": {"type": "Polygon",
                                 "coordinates": [[[-0.5, 51.25], [0.25, 51.25],
                                                  [0.25, 51.75], [-0.5, 51.75]]]}},
      "lang": "en"}

# Tweet 3: same created_at as tweet 2, higher id: its copy of user 100
# wins. A US place whose last part is longer than 2 characters, no box.
# Mentions user 300, who tweet 1 replied to (partial rows).
t3 = {"created_at": "Sat Jan 02 00:00:00 +0000 2021", "id": 3,
      "text": "tie \u0645\u0631\u062d\u0628\u0627 \u4f60\u597d",
      "user": dict(alice, screen_name="alice3", url=None),
      "entities": {"hashtags": [], "symbols": [], "urls": [],
                   "user_mentions": [{"id": 300, "name": "Carol", "screen_name": "carol"}]},
      "place": {"country_code": "us", "full_name": "Florida, USA", "bounding_box": None},
      "lang": "ar"}

# Tweet 4: user 200, mentioned in tweet 1, gets a full row from an older
# tweet: full beats partial. An empty withheld list stays empty.
t4 = {"created_at": "Thu Dec 31 23:59:59 +0000 2020", "id": 4, "text": "bob speaks",
      "user": user(200, screen_name="bob", name="Bob Full",
                   created_at="Tue Feb 02 10:00:00 +0000 2010"),
      "entities": {"hashtags": [{"text": "coronavirus"}]}, "place": None,
      "withheld_in_countries": [], "lang": "en"}

# Tweet 5: a retweet: the embedded tweet 6 and its author are not loaded.
t5 = {"created_at": "Sun Jan 03 12:00:00 +0000 2021", "id": 5, "text": "RT @eve: inner",
      "user": user(400, screen_name="dave"),
      "retweeted_status": {"created_at": "Sun Jan 03 11:00:00 +0000 2021", "id": 6,
                           "text": "inner", "user": user(500, screen_name="eve")},
      "entities": {"hashtags": [],
                   "user_mentions": [{"id": 500, "name": "Eve", "screen_name": "eve"}]},
      "lang": "en"}

# Tweet 8: as the REST API writes it with tweet_mode=extended: the whole
# text in full_text, no text, whole entities at the top level. Its author is
# tweet 5's, in an older version that does not replace that one.
t8 = {"created_at": "Sun Jan 03 10:00:00 +0000 2021", "id": 8,
      "full_text": "a text longer than 140 characters once #rest",
      "display_text_range": [0, 44], "truncated": False,
      "user": user(400, screen_name="dave_before"),
      "entities": {"hashtags": [{"text": "rest", "indices": [40, 44]}]},
      "lang": "en"}

lines = [
    json.dumps(t1, ensure_ascii=False),
    json.dumps(t2),
    '{"limit":{"track":5,"timestamp_ms":"1"}}',  # not a tweet
    "",                                          # blank
    '{"delete":{"status":{"id":1,"id_str":"1","user_id":100}}}',  # not a tweet
    json.dumps(t1, ensure_ascii=False),          # the same tweet again
    json.dumps(t3, ensure_ascii=True),
    json.dumps(t4),
    json.dumps(t5),
    json.dumps(t8),
]
with open("mapping.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")

# second_copy.jsonl, loaded after mapping.jsonl: tweet 4 again with other
# contents (the first version stays, child rows included), and tweet 7 by a
# new user whose url is new too.
t4_again = dict(t4, text="bob edited",
                entities={"hashtags": [{"text": "other"}],
                          "urls": [{"expanded_url": "http://x.example/4"}],
                          "user_mentions": [{"id": 100, "name": "Alice", "screen_name": "alice"}]})
t7 = {"created_at": "Mon Jan 04 08:00:00 +0000 2021", "id": 7, "text": "hi #new",
      "user": user(700, screen_name="gina", name="Gina", url="http://g.example"),
      "entities": {"hashtags": [{"text": "new"}]}, "lang": "en"}
with open("second_copy.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps(t4_again) + "\n" + json.dumps(t7) + "\n")

# repeat_in_file.jsonl: tweet 9 on lines 1 and 3 with other contents (text,
# counts, tag, mention, url, the user's name and url); the first line is the
# version the normalized layout keeps, its child rows and its user included
# (the users' own order would prefer line 3's name, "Ivy A").
t9 = {"created_at": "Tue Jan 05 09:00:00 +0000 2021", "id": 9,
      "text": "first #one @alice", "retweet_count": 1, "lang": "en",
      "user": user(900, screen_name="ivy", name="Ivy B"),
      "entities": {"hashtags": [{"text": "one"}],
                   "user_mentions": [{"id": 100, "name": "Alice", "screen_name": "alice"}]}}
t9_again = dict(t9, text="second #two", retweet_count=5,
                user=user(900, screen_name="ivy", name="Ivy A", url="http://ivy.example"),
                entities={"hashtags": [{"text": "two"}],
                          "urls": [{"expanded_url": "http://x.example/9"}]})
t10 = {"created_at": "Tue Jan 05 10:00:00 +0000 2021", "id": 10, "text": "between",
       "user": user(901, screen_name="jo", name="Jo"), "lang": "en"}
with open("repeat_in_file.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(json.dumps(t) for t in (t9, t10, t9_again)) + "\n")

# url_deleted.jsonl: one tweet with two urls, for a url deleted by another
# transaction while the merge runs (test/sql/foreign_keys.sql).
t20 = {"created_at": "Wed Jan 06 09:00:00 +0000 2021", "id": 20, "text": "two links",
       "user": user(2000, screen_name="kim", name="Kim"), "lang": "en",
       "entities": {"urls": [{"expanded_url": "http://a.example/deleted"},
                             {"expanded_url": "http://b.example/held"}]}}
with open("url_deleted.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps(t20) + "\n")

# assignment.jsonl: tweets repeated on several lines, identical or not, and
# place boxes of every shape, for the answers of the assignment's own
# databases (test/sql/assignment.sql). Tweet 30 is on three identical lines;
# tweet 31 on two lines that differ (the second adds a tag, a mention, media
# and another country); tweet 32 has a tag twice in one line; tweets 33 and
# 34 have boxes of one point (a POI: four equal corners) and a ring given
# closed; tweet 35 is an extended tweet whose top-level entities are a part
# of its extended ones, as Twitter writes them.
def corona(id, day, cc, lang, tags=("coronavirus",), **kw):
    t = {"created_at": "%s Mar %02d 10:00:00 +0000 2020" % (
             ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][day % 7], day),
         "id": id, "text": "t%d #coronavirus" % id, "lang": lang,
         "user": user(3000 + id, screen_name="u%d" % id, name="U%d" % id),
         "entities": {"hashtags": [{"text": t} for t in tags],
                      "user_mentions": [{"id": 100, "name": "Alice", "screen_name": "alice"}],
                      "urls": [{"expanded_url": "http://c.example/%d" % id}]},
         "place": {"country_code": cc, "full_name": "Somewhere, %s" % cc,
                   "bounding_box": {"type": "Polygon", "coordinates": [
                       [[1, 2], [1, 3], [2, 3], [2, 2]]]}}}
    t.update(kw)
    return t


t30 = corona(30, 1, "US", "en", tags=("coronavirus", "covid"))
t31 = corona(31, 2, "GB", "en")
t31_again = dict(t31, text="t31 changed #coronavirus #masks",
                 place=dict(t31["place"], country_code="FR"),
                 entities={"hashtags": [{"text": "coronavirus"}, {"text": "masks"}],
                           "user_mentions": [{"id": 100, "name": "Alice", "screen_name": "alice"},
                                             {"id": 200, "name": "Bob", "screen_name": "bob"}],
                           "urls": [{"expanded_url": "http://c.example/31"}]},
                 extended_entities={"media": [{"media_url": "http://m.example/31.jpg",
                                               "type": "photo"}]})
t32 = corona(32, 2, "US", "es", tags=("coronavirus", "coronavirus", "CoronaVirus"))
poi = {"type": "Polygon", "coordinates": [[[-87.5, 41.75]] * 4]}
t33 = corona(33, 3, "US", "en", place={"country_code": "US", "full_name": "Cafe, IL",
                                        "bounding_box": poi})
closed = {"type": "Polygon", "coordinates": [[[5, 6], [5, 7], [6, 7], [6, 6], [5, 6]]]}
t34 = corona(34, 3, "DE", "de", place={"country_code": "DE", "full_name": "Box, DE",
                                        "bounding_box": closed})
t35 = corona(35, 4, "US", "en", text="t35 #coronavirus #long tr…",
             entities={"hashtags": [{"text": "coronavirus"}]},
             extended_tweet={"full_text": "t35 #coronavirus #long text",
                             "entities": {"hashtags": [{"text": "coronavirus"},
                                                       {"text": "long"}]},
                             "extended_entities": {"media": [
                                 {"media_url": "http://m.example/35.jpg", "type": "photo"}]}},
             extended_entities={"media": [{"media_url": "http://m.example/35.jpg",
                                           "type": "photo"}]})
with open("assignment.jsonl", "w", encoding="utf-8") as f:
    for t in (t30, t31, t30, t32, t31_again, t33, t34, t30, t35, t33):
        f.write(json.dumps(t) + "\n")
