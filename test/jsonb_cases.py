#!/usr/bin/env python3
"""Random JSON for testing the jsonb encoder against jsonb_in.

Writes N tweet lines to OUT: a valid tweet with one or more extra members
holding random JSON written in every way JSON allows (numbers with and
without fractions and exponents, escapes of every kind including \\u0000 and
surrogate pairs, raw UTF-8, duplicate keys, keys that are equal once
decoded, arrays around the 32-entry stride of jsonb, deep nesting, random
white space). EXPECTED gets, per line, the tweet id and the same line
without its \\u0000 escapes: what jsonb_in must accept and equal.

    jsonb_cases.py OUT EXPECTED [--lines N] [--seed S]

Tweet ids are S * 1000000 + 1, + 2, ...
"""
import argparse
import json
import random

KEYS = ["a", "b", "ab", "ba", "", "id2", "é", "\U0001F600", "aa", "key", "k" * 40]
UNI = ["é", "ß", "中", "\U0001F600", "\u2028", "\u00a0", "\u07ff", "\u0800", "\uffff"]


def number(r):
    sign = "-" if r.random() < 0.3 else ""
    if r.random() < 0.15:
        intpart = "0"
    else:
        intpart = str(r.randint(1, 9)) + "".join(
            r.choice("0123456789") for _ in range(r.choice([0, 1, 3, 4, 5, 8, 15, 19, 25, 40])))
    text = sign + intpart
    if r.random() < 0.5:
        text += "." + "".join(r.choice("0000123456789")
                              for _ in range(r.choice([1, 2, 3, 4, 5, 9, 30, 63, 64, 70])))
    if r.random() < 0.35:
        # Keep the value a finite double, as the mapping's parser requires.
        exp = r.randint(-1000, 300 - len(intpart))
        digits = str(abs(exp)).zfill(r.choice([1, 1, 3, 5]))
        text += r.choice("eE") + ("-" if exp < 0 else r.choice(["", "+"])) + digits
    return text


def string(r, key=False):
    """(raw JSON text, decoded text without U+0000)."""
    raw, dec = [], []
    for _ in range(r.choice([0, 1, 2, 5, 12, 40] + ([] if key else [300]))):
        k = r.random()
        if k < 0.45:
            c = r.choice("abcxyz 019-_:")
            raw.append(c)
            dec.append(c)
        elif k < 0.6:
            esc, c = r.choice([('\\"', '"'), ("\\\\", "\\"), ("\\/", "/"), ("\\b", "\b"),
                               ("\\f", "\f"), ("\\n", "\n"), ("\\r", "\r"), ("\\t", "\t")])
            raw.append(esc)
            dec.append(c)
        elif k < 0.7:
            c = r.choice(UNI)
            raw.append(c)
            dec.append(c)
        elif k < 0.78:
            raw.append("\\u0000")
        elif k < 0.82:
            raw.append("\\\\u0000")  # an escaped backslash, then text
            dec.append("\\u0000")
        else:
            cp = r.choice([0x01, 0x1f, 0x41, 0xe9, 0x7ff, 0x800, 0xfffd, 0x1F600, 0x10FFFF,
                           r.randint(0x20, 0xD7FF)])
            if cp > 0xFFFF:
                v = cp - 0x10000
                hi, lo = 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)
                raw.append("\\u%04x\\u%04X" % (hi, lo) if r.random() < 0.5 else "\\u%04X\\u%04x" % (hi, lo))
            else:
                raw.append(("\\u%04x" if r.random() < 0.5 else "\\u%04X") % cp)
            dec.append(chr(cp))
    return '"' + "".join(raw) + '"', "".join(dec)


def ws(r):
    return r.choice(["", "", "", " ", "\t", "  "])


def value(r, depth):
    """Random JSON of bounded size: containers of 16 members or more hold
    scalars only, and nesting stops after a few levels."""
    k = r.random()
    if depth > 6 or k < 0.35:
        s = r.random()
        if s < 0.4:
            return number(r)
        if s < 0.8:
            return string(r)[0]
        return r.choice(["true", "false", "null"])
    if k < 0.65:
        n = r.choice([0, 1, 2, 3, 31, 32, 33, 64, 65])
        inner = depth + 1 if n < 16 else 99
        return "[" + ws(r) + ("," + ws(r)).join(value(r, inner) for _ in range(n)) + ws(r) + "]"
    n = r.choice([0, 1, 2, 5, 16, 17, 40])
    inner = depth + 1 if n < 16 else 99
    members = []
    for _ in range(n):
        if r.random() < 0.7:
            key = '"' + r.choice(KEYS) + '"'
        elif r.random() < 0.5:
            key = '"\\u0061"'  # "a" once decoded
        else:
            key = string(r, key=True)[0]
        members.append(key + ws(r) + ":" + ws(r) + value(r, inner))
    return "{" + ws(r) + ("," + ws(r)).join(members) + ws(r) + "}"


def deep(r):
    n = r.randint(100, 190)
    return "[" * n + number(r) + "]" * n


def strip_nul(line):
    """The line without \\u0000 escapes (an escaped backslash is kept)."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\":
            if line.startswith("\\u0000", i):
                i += 6
                continue
            out.append(line[i:i + 2])
            i += 2
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("expected")
    ap.add_argument("--lines", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as out, \
            open(args.expected, "w", encoding="utf-8") as exp:
        for i in range(1, args.lines + 1):
            tweet = {
                "created_at": "Sun Jan 03 00:04:04 +0000 2021",
                "id": args.seed * 1000000 + i,
                "text": "t%d" % i,
                "user": {"id": 7000 + i % 50, "screen_name": "u%d" % (i % 50), "name": "n"},
            }
            head = json.dumps(tweet, ensure_ascii=False, separators=(",", ":"))[:-1]
            extras = []
            for _ in range(r.choice([1, 1, 2, 3])):
                extra = deep(r) if r.random() < 0.03 else value(r, 0)
                extras.append('"x_extra"' + ws(r) + ":" + ws(r) + extra)
            line = head + "," + ",".join(extras) + "}"
            out.write(line + "\n")
            exp.write("%d\x02%s\n" % (args.seed * 1000000 + i, strip_nul(line)))


if __name__ == "__main__":
    main()
