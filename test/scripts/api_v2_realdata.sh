#!/usr/bin/env bash
# Twitter API v2 input on the real twarc2 files of
# ../shared/realdata/twitter-api-v2 (exit status 77, skipped, without them).
#
#   1. noflat.jsonl (one page of 100 tweets) and flat.jsonl (the same
#      tweets after `twarc2 flatten`) give the same tables, every column of
#      every table, in every mode; in the denormalized layout the same
#      jsonb values, since the loader flattens a page as twarc2 does.
#   2. On every file, in every mode, the rows per table equal counts that
#      Python computes from the JSON itself, independently of the loader.
#      streaming_output_with_error.jsonl ends in a cut-off line: an error
#      naming its line under 'stop'; under 'skip' the 7 tweets before it
#      load and the line is counted.
#
# Needs a running server (PGHOST/PGPORT/PGUSER of a superuser) with the
# extension installed, as scripts/test.sh provides. Runs from the repository
# root.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=$(cd "$root/.." && pwd)/shared/realdata/twitter-api-v2
[ -r "$dir/noflat.jsonl" ] || { echo "skip: no ../shared/realdata/twitter-api-v2"; exit 77; }

. "$root/test/check.sh"

scratch tweet_loader_api_v2_realdata
fresh_db tweet_loader_api_v2_realdata || exit 1

q() { check_q "$1"; }  # q SQL: one value, no decoration
load() {  # load SCHEMA TARGET FILE [EXTRA ARGS]
  psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
    -c "SET search_path = $1, public" \
    -c "SELECT tweets, skipped, bad_lines FROM load_tweets('$3', '${mode_of[$2]}'${4:+, $4})" \
    >"$tmp/load.out" 2>&1
}
output_has() { grep -q -- "$1" "$tmp/load.out"; }

# The counts, from the JSON alone: "table=rows ..." per layout.
expected() {  # expected FILE LAYOUT
  python3 - "$1" "$2" <<'PY'
import json, sys
path, layout = sys.argv[1], sys.argv[2]
tweets = []  # (tweet, users by id, users by username, media by key)
for line in open(path, encoding="utf-8"):
    try:
        doc = json.loads(line)
    except ValueError:
        continue  # the cut-off line
    if "data" in doc:
        inc = doc.get("includes", {})
        by_id = {u["id"]: u for u in inc.get("users", [])}
        by_name = {u["username"]: u for u in inc.get("users", [])}
        media = {m["media_key"]: m for m in inc.get("media", [])}
        data = doc["data"] if isinstance(doc["data"], list) else [doc["data"]]
        tweets += [(t, by_id, by_name, media) for t in data]
    else:  # flattened: the expansions are in the tweet
        by_name = {m["username"]: m for m in doc.get("entities", {}).get("mentions", []) if "id" in m}
        media = {m["media_key"]: m for m in doc.get("attachments", {}).get("media", []) if m}
        tweets.append((doc, {}, by_name, media))

def rows(t, by_name, media):
    holder = t.get("note_tweet", t)
    ents = holder.get("entities", {})
    tags = ["#" + h["tag"] for h in ents.get("hashtags", [])] + \
           ["$" + h["tag"] for h in ents.get("cashtags", [])]
    mentions = []
    for m in ents.get("mentions", []):
        uid = m.get("id") or by_name.get(m["username"], {}).get("id")
        if uid:
            mentions.append(int(uid))
    urls = [u["expanded_url"] for u in ents.get("urls", []) if "expanded_url" in u]
    med = []
    for k in t.get("attachments", {}).get("media_keys", []):
        m = media.get(k, {})
        url = m.get("url") or m.get("preview_image_url")
        if url and m.get("type"):
            med.append((url, m["type"]))
    return tags, mentions, urls, med

if layout == "normalized":
    seen, users = {}, set()
    for t, by_id, by_name, media in tweets:
        users.add(int(t["author_id"]))
        if "in_reply_to_user_id" in t:
            users.add(int(t["in_reply_to_user_id"]))
        tags, mentions, urls, med = rows(t, by_name, media)
        users.update(mentions)
        seen.setdefault(t["id"], (tags, mentions, urls, med))  # first version
    count = lambda i: sum(len(set(v[i])) for v in seen.values())
    print("tweets=%d users=%d tweet_tags=%d tweet_mentions=%d tweet_urls=%d tweet_media=%d"
          % (len(seen), len(users), count(0), count(1), count(2), count(3)))
else:
    n = {"tags": 0, "mentions": 0, "urls": 0, "media": 0}
    for t, by_id, by_name, media in tweets:
        tags, mentions, urls, med = rows(t, by_name, media)
        n["tags"] += len(tags); n["mentions"] += len(mentions)
        n["urls"] += len(urls); n["media"] += len(med)
    if layout == "denormalized":
        print("tweets_jsonb=%d" % len(tweets))
    else:
        print("tweets=%d tweet_tags=%d tweet_mentions=%d tweet_urls=%d tweet_media=%d"
              % (len(tweets), n["tags"], n["mentions"], n["urls"], n["media"]))
PY
}

actual() {  # actual SCHEMA EXPECTED: the same tables' row counts
  local pair out=
  for pair in $2; do
    out+="${pair%%=*}=$(q "SELECT count(*) FROM $1.${pair%%=*}") "
  done
  echo "${out% }"
}

# ------------------------------------------------------------------ 1.
for t in "${targets[@]}"; do
  for f in noflat flat; do
    new_schema "${t}_$f" "$t"
    load "${t}_$f" "$t" "$dir/$f.jsonl" || cat "$tmp/load.out"
    table_dump "${t}_$f" >"$tmp/${t}_$f.dump"
  done
  check "$t: noflat.jsonl and flat.jsonl give the same tables, every column" \
    cmp -s "$tmp/${t}_noflat.dump" "$tmp/${t}_flat.dump" ||
    diff "$tmp/${t}_noflat.dump" "$tmp/${t}_flat.dump"
done

# ------------------------------------------------------------------ 2.
for f in noflat flat geo_tweets media_tweet withheld cashtags mentions_tweet many_urls \
         streaming_output_with_error; do
  for t in "${targets[@]}"; do
    s=c_$t
    new_schema "$s" "$t"
    want=$(expected "$dir/$f.jsonl" "${layout_of[$t]}")
    if [ "$f" = streaming_output_with_error ]; then
      load "$s" "$t" "$dir/$f.jsonl"
      check "$f, $t: the cut-off line 8 is an error naming it" \
        output_has 'ERROR:  22P02: invalid tweet at line 8: invalid JSON' || cat "$tmp/load.out"
      check "$f, $t: nothing is left" [ "$(q "SELECT count(*) FROM $s.tweets")" = 0 ]
      load "$s" "$t" "$dir/$f.jsonl" "on_error => 'skip'"
      check "$f, $t, on_error => 'skip': 7 tweets, 1 bad line" output_has "^7 0 1$"
    else
      load "$s" "$t" "$dir/$f.jsonl" || cat "$tmp/load.out"
    fi
    got=$(actual "$s" "$want")
    check "$f, $t: rows per table as computed from the JSON ($want)" [ "$got" = "$want" ] ||
      echo "  loaded: $got"
  done
done

echo "# $failures failures"
[ "$failures" -eq 0 ]
