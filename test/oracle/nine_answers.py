#!/usr/bin/env python3
"""Compute the nine answers of the assignment straight from tweet files.

Usage: nine_answers.py --out DIR FILE...

An oracle for the loader's tests, written apart from the loader: it reads
each file (gzip, possibly multi-member; zip, all members in order; or plain
JSON lines), parses every line with Python's json module and writes
DIR/q1.csv ... DIR/q9.csv in the CSV form of COPY (no header, NULL as an
empty unquoted field, every text value quoted).

Mapping rules:
  * blank lines and stream messages (objects with none of id/created_at/user
    and one of the STREAM_KEYS) are skipped; any other line that is not a
    tweet is an error;
  * tweets are deduplicated by id, the first occurrence wins;
  * U+0000 is removed from every string used;
  * text, tags, mentions and media come from extended_tweet when it is
    present, else from the top level (text: full_text, else text);
  * country_code = lower(place.country_code), NULL without a place;
  * lower() works one character at a time, as PostgreSQL's lower() does
    under a UTF-8 locale (towlower).
"""

import argparse
import collections
import datetime
import gzip
import io
import json
import os
import sys
import zipfile

STREAM_KEYS = {"delete", "scrub_geo", "limit", "status_withheld",
               "user_withheld", "disconnect", "warning", "event", "friends",
               "friends_str", "direct_message", "control", "for_user"}
TWEET_KEYS = {"id", "created_at", "user"}
# str.lower() gives more than one character only for U+0130; towlower() maps
# it to its simple lower case mapping, 'i'.
LOWER_EXCEPTIONS = {"\u0130": "i"}


def split_lines(data):
    """Lines of a byte string; a final newline does not start another line."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return lines


def read_lines(path):
    """Yields (line_number, bytes) of a file, whatever its container."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as f:  # reads every member
            yield from enumerate(split_lines(f.read()), 1)
    elif magic == b"PK\x03\x04":
        with zipfile.ZipFile(path) as z:
            n = 0
            for info in z.infolist():
                if not info.is_dir():
                    for line in split_lines(z.read(info)):
                        n += 1
                        yield n, line
    else:
        with open(path, "rb") as f:
            yield from enumerate(split_lines(f.read()), 1)


def clean(s):
    """A JSON string with U+0000 removed; None stays None."""
    return None if s is None else s.replace("\u0000", "")


def pg_lower(s):
    return "".join(LOWER_EXCEPTIONS.get(c) or (c.lower() if len(c.lower()) == 1 else c)
                   for c in s)


def parse_time(s):
    """'Fri Jan 01 00:00:01 +0000 2021' -> aware UTC datetime."""
    return datetime.datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y").astimezone(
        datetime.timezone.utc)


def tweet_row(obj):
    """The fields the nine questions need."""
    ext = obj.get("extended_tweet")
    src = ext if ext is not None else obj
    text = src.get("full_text")
    if ext is None and text is None:
        text = obj.get("text")
    ents = src.get("entities") or {}
    tags = ["#" + clean(h["text"]) for h in ents.get("hashtags") or []]
    tags += ["$" + clean(s["text"]) for s in ents.get("symbols") or []]
    mentions = [m["id"] for m in ents.get("user_mentions") or []]
    media = [(clean(m["media_url"]), clean(m["type"]))
             for m in (src.get("extended_entities") or {}).get("media") or []]
    place = obj.get("place")
    cc = place.get("country_code") if place else None
    return {
        "id": obj["id"],
        "text": clean(text),
        "tags": tags,
        "mentions": mentions,
        "media": media,
        "country_code": None if cc is None else pg_lower(clean(cc)),
        "lang": clean(obj.get("lang")),
        "created_at": parse_time(obj["created_at"]),
    }


def load(paths):
    """Distinct tweets (first occurrence) and the number of skipped lines."""
    tweets, skipped = {}, 0
    for path in paths:
        for n, raw in read_lines(path):
            if not raw.strip():
                skipped += 1
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
                if (isinstance(obj, dict) and not TWEET_KEYS & obj.keys()
                        and STREAM_KEYS & obj.keys()):
                    skipped += 1
                    continue
                row = tweet_row(obj)
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                sys.exit("%s:%d: not a tweet: %s" % (path, n, e))
            tweets.setdefault(row["id"], row)
    return tweets, skipped


def answers(tweets):
    """The nine answers as lists of rows."""
    ts = tweets.values()
    q = {}
    q[1] = [(len(tweets),)]
    q[2] = [(len({(t["id"], m) for t in ts for m in t["mentions"]}),)]
    q[3] = [(len({(t["id"], g) for t in ts for g in t["tags"]}),)]
    q[4] = [(len({(t["id"],) + m for t in ts for m in t["media"]}),)]

    lowered = {t["id"]: {pg_lower(g) for g in t["tags"]} for t in ts}
    corona = [i for i, tags in lowered.items() if "#coronavirus" in tags]
    per_tag = collections.Counter(g for i in corona for g in lowered[i])
    q[5] = sorted(per_tag.items())
    everywhere = collections.Counter(g for tags in lowered.values() for g in tags)
    q[6] = sorted((g, everywhere[g]) for g in per_tag)

    exact = [t for t in ts if "#coronavirus" in t["tags"]]
    q[7] = sorted(collections.Counter(t["country_code"] for t in exact).items(),
                  key=lambda r: (r[0] is None, r[0] or ""))
    q[8] = sorted((t["id"], None if t["text"] is None else len(t["text"]))
                  for t in exact if t["lang"] == "en")
    days = collections.Counter(t["created_at"].strftime("%Y-%m-%d 00:00:00") for t in exact)
    q[9] = sorted(days.items())
    return q


def csv_field(v):
    if v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    return '"' + v.replace('"', '""') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="directory for q1.csv ... q9.csv")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    tweets, skipped = load(a.files)
    os.makedirs(a.out, exist_ok=True)
    for k, rows in answers(tweets).items():
        with io.open(os.path.join(a.out, "q%d.csv" % k), "w", encoding="utf-8",
                     newline="\n") as f:
            for row in rows:
                f.write(",".join(csv_field(v) for v in row) + "\n")
    print("%d tweets, %d skipped lines, %d files" % (len(tweets), skipped, len(a.files)))


if __name__ == "__main__":
    main()
