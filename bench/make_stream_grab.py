#!/usr/bin/env python3
"""Pack JSON-lines tweet files into an archive shaped like the Internet
Archive's Twitter stream grab: one member per minute, YYYY/MM/DD/HH/MM.json.bz2.

Usage:
  make_stream_grab.py --out FILE --minutes N [--compress C] [--format tar|zip]
                      [--whole gz|bz2|xz|zst] [--messages] [--quirks]
                      [--lines FILE] [--extract DIR] INPUT.jsonl...

The lines of the inputs are dealt out in order over N members, one per
minute from 2017-01-01 00:00. --compress is the members' compression: bz2
(the default), gz, xz, zst, none, or mixed (each in turn, with some bzip2
members of two concatenated streams). --whole compresses the whole tar
(.tar.gz and the like). --messages mixes in stream messages as the real
stream has them: a delete about every seventh line, limit, scrub_geo and
status_withheld notices, blank keep-alive lines.

--quirks adds what real archives hold besides minute files: entries for
the directories, a symlink, a hard link, a character device and a FIFO
(tar only), an empty member, a member starting with a UTF-8 byte order mark,
one with CRLF line ends, one without a final newline, and a corrupt bzip2
leftover named .09.json.bz2.J1uA1l. None of these holds a line a loader must
read, but the BOM and CRLF members, whose lines are the same tweets.

--lines writes every line the archive's readable members hold, in member
order, as one plain file: what a loader must read from the archive.
--extract writes each readable member, compressed as in the archive, under
DIR, and their paths in archive order to DIR/members.txt.

It prints the number of members, of member files skipped (links, devices,
leftovers, directories) and of lines. The same arguments give the same bytes.
"""

import argparse
import bz2
import datetime
import gzip
import io
import lzma
import os
import subprocess
import sys
import tarfile
import zipfile

START = datetime.datetime(2017, 1, 1, 0, 0)
MTIME = 1483228800  # 2017-01-01 00:00 UTC
EXT = {"bz2": ".bz2", "gz": ".gz", "xz": ".xz", "zst": ".zst", "none": ""}
MIXED = ["bz2", "gz", "xz", "zst", "none"]


def compress(data, how, two_streams=False):
    if how == "bz2":
        if two_streams and len(data) > 1:
            half = len(data) // 2
            return bz2.compress(data[:half]) + bz2.compress(data[half:])
        return bz2.compress(data)
    if how == "gz":
        return gzip.compress(data, mtime=0)
    if how == "xz":
        return lzma.compress(data)
    if how == "zst":
        return subprocess.run(["zstd", "-q", "-c", "-3"], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    return data


def message(k, last_id):
    kinds = [
        '{"delete":{"status":{"id":%d,"id_str":"%d","user_id":12,'
        '"user_id_str":"12"},"timestamp_ms":"1483228800000"}}'
        % (last_id, last_id),
        '{"limit":{"track":%d,"timestamp_ms":"1483228800000"}}' % (k + 1),
        '{"scrub_geo":{"user_id":14,"user_id_str":"14","up_to_status_id":%d,'
        '"up_to_status_id_str":"%d"}}' % (last_id, last_id),
        '{"status_withheld":{"id":%d,"user_id":15,"withheld_in_countries":'
        '["DE"],"timestamp_ms":"1483228800000"}}' % last_id,
        '',
    ]
    return kinds[k % len(kinds)]


def deal(lines, n, messages):
    """The member contents (lists of lines)."""
    members = [[] for _ in range(n)]
    per = -(-len(lines) // n) if lines else 0
    count = 0
    for i, line in enumerate(lines):
        m = members[min(i // per, n - 1)] if per else members[0]
        m.append(line)
        if messages and i % 7 == 6:
            m.append(message(count, 800000000000000000 + i))
            count += 1
    return members


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=int, required=True)
    ap.add_argument("--compress", default="bz2",
                    choices=sorted(EXT) + ["mixed"])
    ap.add_argument("--format", default="tar", choices=["tar", "zip"])
    ap.add_argument("--whole", choices=["gz", "bz2", "xz", "zst"])
    ap.add_argument("--messages", action="store_true")
    ap.add_argument("--quirks", action="store_true")
    ap.add_argument("--lines")
    ap.add_argument("--extract")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()

    lines = []
    for path in args.inputs:
        with open(path, "rb") as f:
            lines.extend(l.rstrip(b"\n").decode("utf-8") for l in f)
    members = deal(lines, args.minutes, args.messages)

    # (name, bytes, readable text or None) in archive order.
    entries = []
    dirs = set()
    readable = []
    for k, content in enumerate(members):
        t = START + datetime.timedelta(minutes=k)
        how = MIXED[k % len(MIXED)] if args.compress == "mixed" else args.compress
        name = t.strftime("%Y/%m/%d/%H/%M") + ".json" + EXT[how]
        text = "".join(l + "\n" for l in content)
        raw = text
        if args.quirks and k == 0:
            raw = "\ufeff" + text
        elif args.quirks and k == 1:
            raw = text.replace("\n", "\r\n")
        elif args.quirks and k == 2:
            raw = text[:-1]
        data = compress(raw.encode("utf-8"), how,
                        two_streams=args.compress == "mixed" and k % 10 == 0)
        for d in range(1, name.count("/") + 1):
            dirs.add("/".join(name.split("/")[:d]) + "/")
        entries.append(("file", name, data))
        readable.append((name, data, text))
        if args.quirks and k == 3:
            empty = t.strftime("%Y/%m/%d/%H/%M") + "-empty.json.bz2"
            entries.append(("file", empty, bz2.compress(b"")))
            readable.append((empty, bz2.compress(b""), ""))
            entries.append(("file", t.strftime("%Y/%m/%d/%H/") +
                            ".09.json.bz2.J1uA1l", b"BZh91AY&SY\x00garbage"))
            if args.format == "tar":
                entries.append(("symlink", t.strftime("%Y/%m/%d/%H/") +
                                "latest.json.bz2", name))
                entries.append(("hardlink", t.strftime("%Y/%m/%d/%H/") +
                                "copy.json" + EXT[how], name))
                entries.append(("chardev", "dev/null", None))
                entries.append(("fifo", "dev/pipe", None))

    skipped = 0
    if args.format == "tar":
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
            def add(kind, name, data=None, target=None):
                info = tarfile.TarInfo(name.rstrip("/"))
                info.mtime = MTIME
                info.mode = 0o755 if kind == "dir" else 0o644
                info.type = {"dir": tarfile.DIRTYPE, "file": tarfile.REGTYPE,
                             "symlink": tarfile.SYMTYPE,
                             "hardlink": tarfile.LNKTYPE,
                             "chardev": tarfile.CHRTYPE,
                             "fifo": tarfile.FIFOTYPE}[kind]
                if target:
                    info.linkname = target
                if kind == "chardev":
                    info.devmajor, info.devminor = 1, 3
                if data is not None:
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                else:
                    tar.addfile(info)
            done_dirs = set()
            for kind, name, data in entries:
                if args.quirks:
                    for d in sorted(x for x in dirs if name.startswith(x)):
                        if d not in done_dirs:
                            done_dirs.add(d)
                            add("dir", d)
                            skipped += 1
                if kind == "file":
                    add("file", name, data)
                    if os.path.basename(name).startswith("."):
                        skipped += 1
                else:
                    add(kind, name, target=data)
                    skipped += 1
        out = buf.getvalue()
        if args.whole:
            out = compress(out, args.whole)
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for kind, name, data in entries:
                info = zipfile.ZipInfo(name, date_time=(2017, 1, 1, 0, 0, 0))
                z.writestr(info, data)
                if os.path.basename(name).startswith("."):
                    skipped += 1
        out = buf.getvalue()

    with open(args.out, "wb") as f:
        f.write(out)
    if args.lines:
        with open(args.lines, "w", encoding="utf-8", newline="") as f:
            for _, _, text in readable:
                f.write(text)
    if args.extract:
        with open(os.path.join(args.extract, "members.txt"), "w") as listing:
            for name, data, _ in readable:
                path = os.path.join(args.extract, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
                listing.write(path + "\n")
    print("members %d skipped %d lines %d" % (
        len(readable), skipped, sum(len(m) for m in members)))


if __name__ == "__main__":
    sys.exit(main())
