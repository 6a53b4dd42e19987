#!/usr/bin/env python3
"""Make the small bad input files of test/data/bad/ for the error tests.

    python3 test/data/bad/make_bad_files.py [--out DIR]

Every file is built from a few hand-written tweet lines, so running the
script again gives byte-identical files (gzip members carry mtime 0 and no
name, zip entries a fixed date). README.md in this directory says what is
wrong with each file.
"""

import argparse
import gzip
import io
import json
import os
import struct
import zipfile
import zlib

ZIP_TIME = (2021, 1, 1, 0, 0, 0)


def tweet(n, **changes):
    """A small valid tweet with id 1000+n by user 100+n, as a dict."""
    t = {
        "created_at": "Fri Jan 01 00:00:%02d +0000 2021" % n,
        "id": 1000 + n,
        "id_str": str(1000 + n),
        "text": "good tweet %d #tag%d" % (n, n),
        "source": "test",
        "in_reply_to_status_id": None,
        "in_reply_to_user_id": None,
        "user": {
            "id": 100 + n,
            "id_str": str(100 + n),
            "name": "User %d" % n,
            "screen_name": "user%d" % n,
            "created_at": "Mon Jan 04 12:00:00 +0000 2010",
            "friends_count": n,
            "verified": False,
        },
        "retweet_count": 1,
        "favorite_count": 2,
        "entities": {
            "hashtags": [{"text": "tag%d" % n, "indices": [14, 19]}],
            "symbols": [],
            "user_mentions": [],
            "urls": [],
        },
        "lang": "en",
    }
    for key, value in changes.items():
        if value is DROP:
            del t[key]
        else:
            t[key] = value
    return t


DROP = object()


def line(obj):
    """One JSON line (compact, UTF-8, as Twitter sends them)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


GOOD = [line(tweet(n)) for n in range(1, 4)]


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    """A zip of (name, bytes) members; a name ending in '/' is a directory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else method
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def central_directory_offset(data):
    """Offset of the first central directory header of a zip without comment."""
    end = data.rindex(b"PK\x05\x06")
    return struct.unpack_from("<I", data, end + 16)[0]


def files():
    """name -> bytes of every bad file."""
    out = {}
    good = b"".join(GOOD)

    # Whole-file problems.
    out["empty.jsonl"] = b""
    gz = gzip_bytes(good)
    out["truncated.jsonl.gz"] = gz[: len(gz) // 2]
    crc = bytearray(gz)
    crc[-8] ^= 0xFF  # first byte of the CRC-32 in the trailer
    out["bad_crc.jsonl.gz"] = bytes(crc)

    zp = zip_bytes([("tweets.jsonl", good)])
    out["truncated.jsonl.zip"] = zp[: len(zp) // 2]
    # A stored member with one byte of its data changed ("good" -> "gooD"):
    # every line is still a valid tweet, only the CRC-32 tells.
    stored = bytearray(zip_bytes([("tweets.jsonl", good)], zipfile.ZIP_STORED))
    at = stored.index(b"good tweet 3")
    stored[at + 3] = ord("D")
    out["bad_crc.jsonl.zip"] = bytes(stored)
    broken = bytearray(zp)
    cd = central_directory_offset(zp)
    broken[cd:cd + 4] = b"PK\x09\x09"  # signature of entry 1
    out["broken_central_directory.jsonl.zip"] = bytes(broken)
    out["directory_entry.jsonl.zip"] = zip_bytes(
        [("tweets/", b""), ("tweets/part1.jsonl", good)])
    out["directory_with_data.jsonl.zip"] = zip_bytes(
        [("tweets/", GOOD[0]), ("tweets/part1.jsonl", good)])
    out["unsupported_method.jsonl.zip"] = zip_bytes(
        [("tweets.jsonl", good)], zipfile.ZIP_BZIP2)
    # A member whose local header disagrees with its central directory
    # entry, which `unzip -t` refuses: the CRC-32, the uncompressed size,
    # the method, the name. The data and the central directory are intact.
    def local_header(name, offset, value):
        z = bytearray(zip_bytes([("tweets.jsonl", good)]))
        z[offset:offset + len(value)] = value
        out[name] = bytes(z)

    zp_crc = struct.unpack_from("<I", zp, 14)[0]
    local_header("local_header_crc.jsonl.zip", 14, struct.pack("<I", zp_crc ^ 1))
    zp_size = struct.unpack_from("<I", zp, 22)[0]
    local_header("local_header_size.jsonl.zip", 22, struct.pack("<I", zp_size + 1))
    local_header("local_header_method.jsonl.zip", 8, struct.pack("<H", 0))
    local_header("local_header_name.jsonl.zip", 30, b"T")

    # Encoding problems (the reader checks every line before parsing).
    out["not_utf8.jsonl"] = GOOD[0] + line(tweet(2)).replace(b"good", b"g\xffod", 1)
    out["nul_byte.jsonl"] = GOOD[0] + line(tweet(2)).replace(b"good", b"go\x00od", 1)

    # Lines that are not tweets; each file has a good line 1 and a bad line 2.
    def bad_second(name, text):
        out[name] = GOOD[0] + text + b"\n"

    bad_second("not_json.jsonl", line(tweet(2))[:-30])
    bad_second("not_object.jsonl", b"[1, 2, 3]")
    # The file starts with a byte order mark (skipped), line 2 too (an error).
    out["byte_order_mark.jsonl"] = (b"\xef\xbb\xbf" + GOOD[0] + b"\xef\xbb\xbf"
                                    + line(tweet(2)))
    bad_second("unpaired_surrogate.jsonl",
               line(tweet(2)).rstrip(b"\n").replace(b"good", b"\\ud800good", 1))
    bad_second("no_id.jsonl", line(tweet(2, id=DROP)).rstrip(b"\n"))
    bad_second("no_user.jsonl", line(tweet(2, user=DROP)).rstrip(b"\n"))
    bad_second("no_created_at.jsonl", line(tweet(2, created_at=DROP)).rstrip(b"\n"))
    bad_second("id_string.jsonl", line(tweet(2, id="1002")).rstrip(b"\n"))
    bad_second("entities_array.jsonl", line(tweet(2, entities=[])).rstrip(b"\n"))
    bad_second("retweet_count_40000.jsonl",
               line(tweet(2, retweet_count=40000)).rstrip(b"\n"))
    bad_second("id_above_bigint.jsonl",
               line(tweet(2, id=9223372036854775808)).rstrip(b"\n"))
    # 3000 nested arrays in a member the mapping does not read.
    deep = line(tweet(2)).rstrip(b"\n")[:-1]
    bad_second("deep_nesting.jsonl",
               deep + b',"deep":' + b"[" * 3000 + b"]" * 3000 + b"}")

    # Good lines 1 and 2, a bad line 3, a good line 4, seven more bad lines
    # of various kinds (8 bad lines in all) and a good line 12.
    mixed = [GOOD[0], GOOD[1], b"this is not JSON\n", GOOD[2],
             b"[]\n",
             line(tweet(5, id=DROP)),
             line(tweet(6, retweet_count=40000)),
             line(tweet(7, id="1007")),
             b"{\"id\": 1008,\n",
             line(tweet(9, user=None)),
             line(tweet(10, entities=[])),
             line(tweet(11))]
    out["some_bad_lines.jsonl"] = b"".join(mixed)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    for name, data in sorted(files().items()):
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        print("%-40s %6d bytes" % (name, len(data)))


if __name__ == "__main__":
    main()
