#!/usr/bin/env bash
# Archives as the stream grab publishes them, and the ways they break.
#
# 3,000 generated tweets are packed by bench/make_stream_grab.py into a tar
# of 300 minute members (YYYY/MM/DD/HH/MM.json.*) in every compression
# (bzip2, two-stream bzip2, gzip, xz, zstd, none), with stream messages
# (delete, limit, scrub_geo, status_withheld, blank lines) and the quirks
# of real archives: directory entries, a symlink, a hard link, a device, a
# FIFO entry, an empty member, a dotfile leftover, a member starting with a
# byte order mark, one with CRLF line ends, one without a final newline.
#
#   1. Same tables, byte for byte (every row of every table, as text), in
#      every mode (denormalized; row and batch into normalized; batch into
#      normalized_batch), whether loaded from the concatenated lines as one
#      plain file (the reference), from the tar in one call, from its
#      extracted members one call each, or in 2 and 4 concurrent parts;
#      also with tweet_loader.decompress_threads 0 and 1. The counts: tweets and
#      skipped lines as the generator wrote them, 301 members, 13 skipped.
#   2. The same lines as .tar.gz, .tar.bz2, .tar.xz and .tar.zst, as one
#      .jsonl.bz2, .jsonl.xz and .jsonl.zst stream, and as a zip whose
#      members are compressed: the reference's tweets_jsonb.
#   3. Bad input, each a clear error, nothing of the archive left, the
#      server never restarted (under on_error => 'skip' the corrupt-member
#      cases load the rest and count the member in bad_members):
#      a truncated tar; a corrupt bzip2 block, xz block and zstd frame in a
#      member; a member that is not JSON lines; a tar inside the tar; an
#      archive of only directories (0 tweets, no error); a FIFO path; a
#      gzip and a zip bomb (1 GB from 1 MB) that stream in bounded memory.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the repository
# root; takes about a minute.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

. "$root/test/check.sh"

scratch tweet_loader_archives
fresh_db tweet_loader_archives || exit 1

q() { check_q "$1"; }  # q SQL: one value, no decoration

# load SCHEMA TARGET FILE [EXTRA ARGS]: one load; its result row
# (tweets skipped bad_lines members skipped_members bad_members) or its
# error (verbose) in $tmp/load.out.
load() {
  psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
    -c "SET search_path = $1, public" \
    -c "SELECT tweets, skipped, bad_lines, members, skipped_members, bad_members
        FROM load_tweets('$3', '${mode_of[$2]}'${4:+, $4})" >"$tmp/load.out" 2>&1
}

dump() { table_dump "$1"; }

# ------------------------------------------------------------------ data
echo "# generating the archives in $tmp"
python3 bench/gen_tweets.py --out "$tmp" --files 1 --tweets 3000 --format plain \
  --prefix gen --seed 19 >"$tmp/gen.log" 2>&1 || { cat "$tmp/gen.log"; exit 1; }
mkdir -p "$tmp/ex"
grab() { python3 bench/make_stream_grab.py "$@" "$tmp/gen-01.jsonl"; }
summary=$(grab --out "$tmp/month.tar" --minutes 300 --compress mixed --messages \
  --quirks --lines "$tmp/month.lines" --extract "$tmp/ex") || exit 1
echo "# month.tar: $summary"
for w in gz bz2 xz zst; do
  grab --out "$tmp/month.tar.$w" --minutes 300 --compress mixed --messages --quirks \
    --whole "$w" >/dev/null || exit 1
done
grab --out "$tmp/month.zip" --minutes 300 --compress mixed --messages --quirks \
  --format zip >/dev/null || exit 1
bzip2 -c "$tmp/month.lines" >"$tmp/month.jsonl.bz2"
xz -c "$tmp/month.lines" >"$tmp/month.jsonl.xz"
zstd -q -c "$tmp/month.lines" >"$tmp/month.jsonl.zst"
chmod -R a+rX "$tmp"

# What the loader must find, counted here without it: lines that are JSON
# objects with "created_at" are tweets, every other line is skipped.
read -r want_tweets want_skipped < <(python3 - "$tmp/month.lines" <<'PY'
import json, sys
t = s = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    try:
        o = json.loads(line) if line.strip() else None
    except ValueError:
        o = None
    if isinstance(o, dict) and "created_at" in o:
        t += 1
    else:
        s += 1
print(t, s)
PY
)
echo "# $want_tweets tweets, $want_skipped other lines"

# ------------------------------------------------------- 1. same tables
for t in "${targets[@]}"; do
  new_schema "ref_$t" "$t"
  load "ref_$t" "$t" "$tmp/month.lines"
  check "$t: the concatenated lines load: $want_tweets tweets, $want_skipped skipped" \
    grep -q "^$want_tweets $want_skipped 0 1 0 0$" "$tmp/load.out" || cat "$tmp/load.out"
  ref=$(dump "ref_$t")

  new_schema "tar_$t" "$t"
  load "tar_$t" "$t" "$tmp/month.tar"
  check "$t: the tar in one call: 301 members, 13 skipped" \
    grep -q "^$want_tweets $want_skipped 0 301 13 0$" "$tmp/load.out" || cat "$tmp/load.out"
  check "$t: the tar gives the reference's tables" test "$(dump "tar_$t")" = "$ref"

  for threads in 0 1; do
    new_schema "off_$t" "$t"
    psql -X -q -At -c "SET tweet_loader.decompress_threads = $threads" \
      -c "SET search_path = off_$t, public" \
      -c "SELECT tweets FROM load_tweets('$tmp/month.tar', '${mode_of[$t]}')" >"$tmp/load.out" 2>&1
    check "$t: decompress_threads $threads gives the same tables" test "$(dump "off_$t")" = "$ref"
  done

  new_schema "ext_$t" "$t"
  { echo "SET search_path = ext_$t, public;"
    sed "s/.*/SELECT tweets FROM load_tweets('&', '${mode_of[$t]}');/" "$tmp/ex/members.txt"
  } | psql -X -q -At -v ON_ERROR_STOP=1 >"$tmp/ext.out" 2>&1
  check "$t: the extracted members, one call each, give the same tables" \
    test "$(dump "ext_$t")" = "$ref" || tail -3 "$tmp/ext.out"

  for k in 2 4; do
    new_schema "p${k}_$t" "$t"
    pids=()
    for ((i = 1; i <= k; i++)); do
      psql -X -q -At -v ON_ERROR_STOP=1 -c "SET search_path = p${k}_$t, public" \
        -c "SELECT tweets, members FROM load_tweets('$tmp/month.tar', '${mode_of[$t]}', part => '$i/$k')" \
        >"$tmp/part$i.out" 2>&1 &
      pids+=("$!")
    done
    ok=true
    for p in "${pids[@]}"; do wait "$p" || ok=false; done
    members=$(awk -F'|' '{ s += $2 } END { print s }' "$tmp"/part[1-$k].out 2>/dev/null)
    check "$t: $k concurrent parts succeed and read 301 members together ($members)" \
      test "$ok" = true -a "$members" = 301 || cat "$tmp"/part*.out
    check "$t: $k concurrent parts give the same tables" test "$(dump "p${k}_$t")" = "$ref"
  done
done

# -------------------------------------------- 2. other containers, same lines
ref=$(dump ref_den)
for f in month.tar.gz month.tar.bz2 month.tar.xz month.tar.zst month.zip \
         month.jsonl.bz2 month.jsonl.xz month.jsonl.zst; do
  new_schema other den
  load other den "$tmp/$f"
  check "$f: $want_tweets tweets, the reference's tweets_jsonb" \
    test "$(head -c 1000 "$tmp/load.out" | cut -d' ' -f1)" = "$want_tweets" -a \
    "$(dump other)" = "$ref" || head -c 600 "$tmp/load.out"
done
new_schema other den
load other den "$tmp/month.zip"
check "month.zip: 301 members, 1 skipped (the dotfile)" \
  grep -q "^$want_tweets $want_skipped 0 301 1 0$" "$tmp/load.out" || cat "$tmp/load.out"

# ---------------------------------------------------------- 3. bad input
# bad NAME: builds $tmp/bad/NAME.tar from members given on stdin as
# "path<TAB>source file" lines, in order.
mkdir -p "$tmp/bad"
build_tar() {
  python3 -c "$build_tar_py" "$tmp/bad/$1.tar"
}
build_tar_py=$(cat <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as tar:
    for line in sys.stdin:
        name, src = line.rstrip("\n").split("\t")
        info = tarfile.TarInfo(name)
        info.mtime = 1483228800
        if src == "DIR":
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
            continue
        data = open(src, "rb").read()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
PY
)
# corrupt SRC DST: a copy of SRC with 16 bytes in its middle flipped.
corrupt() {
  python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
for i in range(16):
    d[len(d) // 2 + i] ^= 0x5a
open(sys.argv[2], 'wb').write(d)" "$1" "$2"
}
# tweets_in FILE: tweets in a (compressed) member, counted as above.
tweets_in() {
  python3 - "$1" <<'PY'
import bz2, gzip, json, lzma, subprocess, sys
p = sys.argv[1]
raw = open(p, "rb").read()
if p.endswith(".bz2"): raw = bz2.decompress(raw)
elif p.endswith(".gz"): raw = gzip.decompress(raw)
elif p.endswith(".xz"): raw = lzma.decompress(raw)
elif p.endswith(".zst"):
    raw = subprocess.run(["zstd", "-dqc"], input=raw, stdout=subprocess.PIPE).stdout
n = 0
for line in raw.decode("utf-8-sig").splitlines():
    try:
        o = json.loads(line) if line.strip() else None
    except ValueError:
        o = None
    n += isinstance(o, dict) and "created_at" in o
print(n)
PY
}

# Members 5..9 of the month: bzip2, gzip, xz, zstd, none.
mapfile -t m < "$tmp/ex/members.txt"
good=("${m[@]:6:5}")   # after the empty member inserted at 4
member_list() {  # the good members as "name<TAB>file" lines
  local f
  for f in "${good[@]}"; do printf '%s\t%s\n' "${f#$tmp/ex/}" "$f"; done
}
good_tweets=0
for f in "${good[@]}"; do good_tweets=$((good_tweets + $(tweets_in "$f"))); done

# expect_bad NAME CODE MESSAGE [SKIP_RESULT]: stop gives the error (SQLSTATE
# and message), nothing left; skip gives SKIP_RESULT (or the same error
# when none is given), the server still up.
expect_bad() {
  local name=$1 code=$2 message=$3 skip_result=${4:-} t
  for t in den bb; do
    new_schema bad_$t $t
    load bad_$t $t "$tmp/bad/$name.tar"
    if grep -q "ERROR:  $code: .*$message" "$tmp/load.out" && [ "$(rows_left bad_$t)" = 0 ]; then
      pass "$name ($t, stop): $code $message, nothing left"
    else
      fail "$name ($t, stop): want $code $message and no rows; rows $(rows_left bad_$t)"
      head -c 800 "$tmp/load.out"
    fi
    load bad_$t $t "$tmp/bad/$name.tar" "on_error => 'skip'"
    if [ -z "$skip_result" ]; then
      check "$name ($t, skip): the same error, nothing left" \
        grep -q "ERROR:  $code: .*$message" "$tmp/load.out" &&
        check "$name ($t, skip): no rows" test "$(rows_left bad_$t)" = 0
    else
      check "$name ($t, skip): $skip_result" grep -q "^$skip_result$" "$tmp/load.out" ||
        head -c 800 "$tmp/load.out"
    fi
  done
  check "$name: the postmaster did not restart" no_restart
}

# A truncated tar: cut in the middle of a member's data.
head -c $(( $(stat -c %s "$tmp/month.tar") / 2 + 100 )) "$tmp/month.tar" >"$tmp/bad/truncated.tar"
expect_bad truncated XX001 'could not read tweet file ".*truncated.tar": tar archive is truncated'

# A corrupt block in a bzip2, an xz and a zstd member, between good ones.
for k in 0 2 3; do
  src=${good[$k]}
  ext=${src##*.}
  corrupt "$src" "$tmp/bad/corrupt.$ext"
  name=${src#$tmp/ex/}
  { member_list | head -2; printf '%s\t%s\n' "x/$name" "$tmp/bad/corrupt.$ext"; member_list | tail -3; } |
    build_tar "corrupt_$ext"
  declare -A stream=([bz2]=bzip2 [xz]=xz [zst]=zstd)
  expect_bad "corrupt_$ext" XX001 "member \"x/$name\": ${stream[$ext]} stream is corrupt" \
    "$good_tweets [0-9]* 0 5 0 1"
done

# A member that is not JSON lines: its lines are bad lines.
printf 'this is not JSON\n{"also": "not a tweet"\n' >"$tmp/bad/text.json"
{ member_list | head -1; printf '%s\t%s\n' "notes/readme.json" "$tmp/bad/text.json"; member_list | tail -4; } |
  build_tar not_json
expect_bad not_json 22P02 'invalid tweet in ".*not_json.tar": notes/readme.json: line 1: invalid JSON' \
  "$good_tweets [0-9]* 2 6 0 0"

# A tar inside the tar.
{ member_list | head -2; printf '%s\t%s\n' "inner.tar" "$tmp/bad/not_json.tar"; member_list | tail -3; } |
  build_tar nested
expect_bad nested 0A000 'member "inner.tar": is itself an archive; unpack it first' \
  "$good_tweets [0-9]* 0 5 0 1"

# An archive of only directories: nothing to load, no error.
printf '%s\tDIR\n' 2017 2017/01 2017/01/01 | build_tar only_dirs
new_schema dirs den
load dirs den "$tmp/bad/only_dirs.tar"
check "only directories: 0 tweets, 0 members, 3 skipped, no error" \
  grep -q "^0 0 0 0 3 0$" "$tmp/load.out" || cat "$tmp/load.out"

# A FIFO path is refused, as before archives.
mkfifo -m 644 "$tmp/bad/pipe.tar"
load dirs den "$tmp/bad/pipe.tar"
check "a FIFO: 42809 is not a regular file" \
  grep -q "ERROR:  42809: \"$tmp/bad/pipe.tar\" is not a regular file" "$tmp/load.out" ||
  cat "$tmp/load.out"

# Bombs: 1 GB of blank-looking lines (1 MB of spaces each) from about 1 MB,
# as a gzip file and as a zip member. They stream: the backend's private
# memory stays below 200 MB.
python3 - "$tmp/bad" <<'PY'
import gzip, os, sys, zipfile, zlib
block = b" " * 1048575 + b"\n"  # 1 MB
n = 1024
c = zlib.compressobj(9, zlib.DEFLATED, 31)
with open(os.path.join(sys.argv[1], "bomb.jsonl.gz"), "wb") as f:
    for _ in range(n):
        f.write(c.compress(block))
    f.write(c.flush())
with zipfile.ZipFile(os.path.join(sys.argv[1], "bomb.zip"), "w",
                     zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("bomb.jsonl", "w", force_zip64=True) as m:
        for _ in range(n):
            m.write(block)
PY
chmod a+r "$tmp"/bad/*
for bomb in bomb.jsonl.gz bomb.zip; do
  size=$(stat -c %s "$tmp/bad/$bomb")
  psql -X -q -At -F ' ' -c "SET search_path = dirs, public" \
    -c "SELECT pg_backend_pid()" \
    -c "SELECT tweets, skipped FROM load_tweets('$tmp/bad/$bomb', 'denormalized')" \
    >"$tmp/load.out" 2>&1 &
  load_pid=$!
  backend=
  for i in $(seq 1 100); do
    backend=$(head -1 "$tmp/load.out" 2>/dev/null)
    [ -n "$backend" ] && break
    sleep 0.05
  done
  peak=0 samples=0
  while kill -0 "$load_pid" 2>/dev/null && [ -r "/proc/$backend/status" ]; do
    a=$(awk '/^RssAnon:/ { print $2 }' "/proc/$backend/status" 2>/dev/null)
    [ "${a:-0}" -gt "$peak" ] && peak=$a
    samples=$((samples + 1))
    sleep 0.1
  done
  wait "$load_pid"
  check "$bomb ($((size / 1024)) kB, ratio $((1073741824 / size)):1): 1024 blank lines skipped" \
    grep -q "^0 1024$" "$tmp/load.out" || cat "$tmp/load.out"
  check "$bomb: peak RssAnon $((peak / 1024)) MB over $samples samples (< 200 MB)" \
    test "$samples" -gt 0 -a "$peak" -lt $((200 * 1024))
done
check "the postmaster did not restart" no_restart

echo "# $failures failed"
[ "$failures" -eq 0 ]
