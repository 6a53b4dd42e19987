#!/usr/bin/env python3
"""Generate deterministic Twitter API v1.1 streaming files (JSON lines).

Usage:
  gen_tweets.py --out DIR --files N --tweets M --format zip|gz|plain
                [--seed S] [--prefix NAME] [--zip-members K] [--gz-members K]
                [--start-date YYYY-MM-DD] [--small-tweets]

Each file gets M tweet lines (duplicates included) plus about 1% non-tweet
lines (blank lines, limit/delete/withheld stream messages).  File i is named
<prefix>-NN.jsonl[.zip|.gz] (NN from 01) and holds tweets of the day
start-date + i (spilling a little into the next day).  --format may be a comma
list (zip,gz,plain): file i then uses the i-th format, cycling.

The same arguments give byte-identical files: every random choice comes from
a seeded random.Random, zip entries carry a fixed timestamp and gzip members
mtime 0 and no file name.

What the files exercise: replies, retweets (embedded retweeted_status),
quotes, extended_tweet with its own entities, photos/videos/GIFs, places with
open bounding boxes (US "City, ST", admin "State, USA", other countries, an
empty country_code), geo points, hashtags in many cases and scripts
('#coronavirus' and its variants on about 30% of tweets), cashtags,
mentions skewed to a few popular users, URLs from a shared pool, emoji with
joiners, CJK, Arabic, RTL marks, escaped slashes, quotes, backslashes,
U+0000 escapes (also inside hashtags), a literal backslash-u0000, withheld
fields, lines repeated within a file and across files.
"""

import argparse
import datetime
import gzip
import os
import random
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tweetgen.pools import ZIP_TIME
from tweetgen.users import Users
from tweetgen.tweets import (DEFAULT_MIX, SMALL_MIX, Generator, file_lines)


# ---------------------------------------------------------------- writers


class Chunked:
    """Splits the line stream into members of about equal tweet counts."""

    def __init__(self, lines, tweets, members):
        self.lines, self.per = lines, max(1, -(-tweets // members))
        self.members = members

    def __iter__(self):
        buf, count, member = [], 0, 0
        for line, is_tweet in self.lines:
            if is_tweet and count == self.per and member < self.members - 1:
                yield member, buf
                buf, count, member = [], 0, member + 1
            buf.append(line)
            count += is_tweet
        yield member, buf


def write_blocks(out, lines, block=2000):
    for i in range(0, len(lines), block):
        out.write(("\n".join(lines[i:i + block]) + "\n").encode("utf-8"))


def write_file(path, fmt, lines, tweets, zip_members, gz_members):
    base = os.path.basename(path)
    with open(path, "wb") as raw:
        if fmt == "plain":
            for _, buf in Chunked(lines, tweets, 1):
                write_blocks(raw, buf)
        elif fmt == "gz":
            for _, buf in Chunked(lines, tweets, gz_members):
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    write_blocks(gz, buf)
        else:
            stem = base[:-len(".zip")]
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
                for k, buf in Chunked(lines, tweets, zip_members):
                    name = stem if zip_members == 1 else "%s.part%d.jsonl" % (
                        stem[:-len(".jsonl")], k + 1)
                    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    with zf.open(info, "w", force_zip64=False) as m:
                        write_blocks(m, buf)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--tweets", type=int, required=True, help="tweet lines per file")
    ap.add_argument("--format", required=True,
                    help="zip, gz or plain; a comma list cycles over the files")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--prefix", default="geoTwitter21")
    ap.add_argument("--zip-members", type=int, default=1)
    ap.add_argument("--gz-members", type=int, default=1)
    ap.add_argument("--start-date", default="2021-01-01")
    ap.add_argument("--no-literal-backslash", action="store_true",
                    help="no texts with a literal backslash-u0000 (for the sed baseline)")
    ap.add_argument("--small-tweets", action="store_true",
                    help="tweets of 2 to 3 kB on average (few retweets and quotes) "
                         "instead of about 4.3 kB")
    a = ap.parse_args(argv)
    formats = a.format.split(",")
    for f in formats:
        if f not in ("zip", "gz", "plain"):
            ap.error("unknown format %r" % f)
    if a.files < 1 or a.tweets < 0 or a.zip_members < 1 or a.gz_members < 1:
        ap.error("--files, --zip-members and --gz-members must be >= 1")
    start = datetime.datetime.strptime(a.start_date, "%Y-%m-%d").replace(
        tzinfo=datetime.timezone.utc)
    os.makedirs(a.out, exist_ok=True)
    users = Users(random.Random("%s/users" % a.seed), 3000)
    prev_pool = []
    for i in range(a.files):
        fmt = formats[i % len(formats)]
        name = "%s-%02d.jsonl%s" % (a.prefix, i + 1, {"zip": ".zip", "gz": ".gz", "plain": ""}[fmt])
        day_ms = int((start + datetime.timedelta(days=i)).timestamp() * 1000)
        gen = Generator(a.seed, i, day_ms, users,
                        SMALL_MIX if a.small_tweets else DEFAULT_MIX)
        gen.literal_backslash = not a.no_literal_backslash
        gen.step_ms = max(1, 26 * 3600 * 1000 // max(1, a.tweets))  # ~26 hours per file
        pool = []
        write_file(os.path.join(a.out, name), fmt, file_lines(gen, a.tweets, prev_pool, pool),
                   a.tweets, a.zip_members, a.gz_members)
        prev_pool = pool
        print(os.path.join(a.out, name), file=sys.stderr)


if __name__ == "__main__":
    main()
