#!/usr/bin/env bash
# Parallel loading never deadlocks and gives the same tables as a sequential
# load, for every layout and mode:
#   denormalized / 'denormalized', normalized / 'normalized' (row mode),
#   normalized / 'batch', normalized_batch / 'batch'.
#
# Generates overlapping files (the same popular users mentioned and replied
# to in every file, urls from a shared pool, tweets repeated across files;
# the overlap is counted and required), then per combination:
#   * a sequential load in file order (the reference) and one in reverse
#     order: the contents must not depend on the order of the files;
#   * three parallel rounds, one psql session per file, all files at once
#     (more sessions than cores): through scripts/load_parallel.sh, then
#     GNU parallel with batch_size 50, then batch_size 7 in reverse order;
#   * a round with every file given twice (twice the sessions), batch_size 50.
#     The normalized layout must end as the reference; the denormalized and
#     normalized_batch layouts keep duplicates, so that round is compared with
#     a sequential load of the same doubled list.
# Every load goes into a fresh database. A round fails when any session
# fails (a deadlock is named as such) or reports a wrong tweet count; tables
# are compared by row count and md5 of their sorted rows (normalized: urls
# by their text, not their surrogate ids).
#
# Needs a server reachable through PGHOST/PGPORT/PGUSER (a superuser, as
# scripts/test.sh provides) with tweet_loader installed, and GNU parallel.
#   STRESS_TWEETS=N   tweet lines per file (default 1000)
#   STRESS_FILES=N    files (default 6)
set -uo pipefail

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# Worker mode, run by GNU parallel once per file:
#   --job DB MODE BATCH FILE ERRFILE
# prints the tweets loaded; psql's stderr goes to ERRFILE.
if [ "${1:-}" = --job ]; then
    exec psql -X -q -At -v ON_ERROR_STOP=1 -d "$2" \
        -c "SELECT tweets FROM load_tweets('$5', '$3', $4)" 2>"$6"
fi

cd "$(dirname "$self")/../.."
root=$(pwd)
tweets_per_file=${STRESS_TWEETS:-1000}
nfiles=${STRESS_FILES:-6}

. test/check.sh
scratch parallel_stress
export TMPDIR=$tmp   # load_parallel.sh keeps its results there
dbprefix=tl_stress_$$

# Seconds since $1 (an $EPOCHREALTIME value).
since() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

psql_db() {  # psql_db DB ARGS...
    local db=$1
    shift
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"
}

command -v parallel >/dev/null || { echo "GNU parallel is not installed"; exit 1; }
psql_db postgres -c 'SELECT 1' >/dev/null || { echo "no server (PGHOST/PGPORT)"; exit 1; }

# ------------------------------------------------------------------ files

echo "== generating $nfiles files x $tweets_per_file tweets (seed parallel-stress)"
data=$tmp/data
python3 bench/gen_tweets.py --out "$data" --files "$nfiles" \
    --tweets "$tweets_per_file" --format zip,gz,plain --seed parallel-stress \
    --prefix stress --zip-members 2 --gz-members 3 2>/dev/null ||
    { echo "gen_tweets.py failed"; exit 1; }
chmod -R a+rX "$tmp"
files=()
for f in "$data"/stress-*; do files+=("$f"); done
[ "${#files[@]}" -eq "$nfiles" ] || { echo "expected $nfiles files"; exit 1; }
reversed=()
for ((i = ${#files[@]} - 1; i >= 0; i--)); do reversed+=("${files[$i]}"); done
doubled=("${files[@]}" "${files[@]}")
expected_tweets=$((nfiles * tweets_per_file))

# The overlap between files, counted from the JSON itself: what the parallel
# sessions contend for. Prints the counts, fails when one is too small.
echo "== overlap between the files"
python3 - "$nfiles" "${files[@]}" <<'PY' || fail "the files do not overlap enough"
import collections, gzip, json, sys, zipfile

nfiles = int(sys.argv[1])


def lines(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as f:
            data = f.read()
    elif magic == b"PK\x03\x04":
        with zipfile.ZipFile(path) as z:
            data = b"".join(z.read(n) for n in z.namelist())
    else:
        with open(path, "rb") as f:
            data = f.read()
    for line in data.split(b"\n"):
        if line.strip():
            yield json.loads(line)


def entities(t):
    ext = t.get("extended_tweet")
    return (ext or t).get("entities") or {}


seen = {k: collections.defaultdict(set) for k in
        ("tweet", "user", "mentioned", "reply_to", "url")}
for i, path in enumerate(sys.argv[2:]):
    for t in lines(path):
        if "id" not in t or "user" not in t:
            continue
        stack = [t]
        while stack:  # the tweet, its retweeted and quoted tweets
            x = stack.pop()
            seen["tweet"][x["id"]].add(i)
            seen["user"][x["user"]["id"]].add(i)
            for m in entities(x).get("user_mentions") or []:
                seen["mentioned"][m["id"]].add(i)
                seen["user"][m["id"]].add(i)
            if x.get("in_reply_to_user_id") is not None:
                seen["reply_to"][x["in_reply_to_user_id"]].add(i)
            for u in entities(x).get("urls") or []:
                if u.get("expanded_url"):
                    seen["url"][u["expanded_url"]].add(i)
            stack += [x[k] for k in ("retweeted_status", "quoted_status")
                      if isinstance(x.get(k), dict)]

# (kind, files it must be in, at least how many)
required = [("tweet", 2, 50), ("user", 2, 300), ("user", nfiles, 5),
            ("mentioned", nfiles, 5), ("reply_to", 2, 10), ("url", 2, 8),
            ("url", nfiles, 5)]
ok = True
for kind, in_files, minimum in required:
    n = sum(1 for s in seen[kind].values() if len(s) >= in_files)
    good = n >= minimum
    ok &= good
    print("  %-10s in >= %d files: %5d of %6d (need >= %d)%s" % (
        kind, in_files, n, len(seen[kind]), minimum, "" if good else "  <- too few"))
sys.exit(0 if ok else 1)
PY

# ------------------------------------------------------------------ loads

# One template database per layout: fresh databases are copies of it.
make_template() {  # make_template LAYOUT
    local db=${dbprefix}_tmpl_$1
    scratch_dbs+=("$db")
    createdb "$db" &&
        psql_db "$db" -c "SET client_min_messages = warning" \
            -c "CREATE EXTENSION tweet_loader CASCADE" \
            -c "SELECT create_tweet_tables('$1')" >/dev/null
}

fresh_db() {  # fresh_db LAYOUT NAME: creates the database NAME
    scratch_dbs+=("$2")
    createdb -T "${dbprefix}_tmpl_$1" "$2"
}

# Drops a database in the background: the checkpoint DROP DATABASE waits
# for overlaps the next load.
drop_db() {
    dropdb --if-exists "$1" &
}

# The contents of a database: one line per table, "table|rows|md5" of the
# rows sorted as text.
digest() {  # digest DB LAYOUT
    local q
    case $2 in
        denormalized)
            q="SELECT 'tweets_jsonb', data::text FROM tweets_jsonb" ;;
        normalized_batch)
            q="SELECT 'users', r::text FROM users r
               UNION ALL SELECT 'tweets', r::text FROM tweets r
               UNION ALL SELECT 'tweet_urls', r::text FROM tweet_urls r
               UNION ALL SELECT 'tweet_mentions', r::text FROM tweet_mentions r
               UNION ALL SELECT 'tweet_tags', r::text FROM tweet_tags r
               UNION ALL SELECT 'tweet_media', r::text FROM tweet_media r" ;;
        normalized)
            q="SELECT 'users', r::text FROM (
                   SELECT u.id_users, u.created_at, u.updated_at, l.url,
                          u.friends_count, u.listed_count, u.favourites_count,
                          u.statuses_count, u.protected, u.verified,
                          u.screen_name, u.name, u.location, u.description,
                          u.withheld_in_countries, u.updated_by
                   FROM users u LEFT JOIN urls l USING (id_urls)) r
               UNION ALL SELECT 'tweets', r::text FROM tweets r
               UNION ALL SELECT 'tweet_urls', r::text FROM (
                   SELECT id_tweets, url FROM tweet_urls JOIN urls USING (id_urls)) r
               UNION ALL SELECT 'tweet_mentions', r::text FROM tweet_mentions r
               UNION ALL SELECT 'tweet_tags', r::text FROM tweet_tags r
               UNION ALL SELECT 'tweet_media', r::text FROM (
                   SELECT id_tweets, url, type FROM tweet_media JOIN urls USING (id_urls)) r
               UNION ALL SELECT 'urls', url FROM urls" ;;
    esac
    psql_db "$1" -F '|' -c "SELECT tab, count(*), md5(string_agg(row, E'\n' ORDER BY row))
                            FROM ($q) AS t (tab, row) GROUP BY tab ORDER BY tab"
}

# Loads files one after another, one session each, with the default batch
# size; the time goes to $elapsed.
load_sequential() {  # load_sequential DB MODE FILE...
    local db=$1 mode=$2 f start=$EPOCHREALTIME
    shift 2
    for f in "$@"; do
        psql_db "$db" -c "SELECT tweets FROM load_tweets('$f', '$mode')" >/dev/null ||
            { elapsed=failed; return 1; }
    done
    elapsed=$(since "$start")
}

# Loads all files at once, one session each. HOW is "script" (through
# scripts/load_parallel.sh, default batch size) or a batch size for
# load_tweets run by GNU parallel directly. Checks every session: exit status,
# stderr (a deadlock is named), the total of tweets loaded, and the deadlock
# count of pg_stat_database. The time goes
# to $elapsed.
load_parallel() {  # load_parallel DB MODE HOW TAG FILE...
    local db=$1 mode=$2 how=$3 tag=$4 start=$EPOCHREALTIME status total
    shift 4
    local out=$tmp/$tag.out err=$tmp/$tag.err joblog=$tmp/$tag.joblog ok=0
    mkdir -p "$tmp/$tag.errs"
    if [ "$how" = script ]; then
        PGDATABASE=$db scripts/load_parallel.sh -j "$#" "$mode" "$@" >"$out" 2>"$err"
        status=$?
        elapsed=$(since "$start")
        total=$(awk -F'\t' '$1 == "total" { print $2 + 0 }' "$out")
    else
        parallel --will-cite --halt never -j "$#" --joblog "$joblog" \
            "bash $self --job $db $mode $how {} $tmp/$tag.errs/{#}" ::: "$@" \
            >"$out" 2>"$tmp/$tag.errs/parallel"
        status=$?
        elapsed=$(since "$start")
        cat "$tmp/$tag.errs"/* >"$err" 2>/dev/null
        total=$(awk '{ s += $1 } END { print s + 0 }' "$out")
        # Job log columns: Seq Host Starttime JobRuntime Send Receive Exitval Signal Command
        if awk -F'\t' 'NR > 1 && ($7 != 0 || $8 != 0) { bad = 1 } END { exit !bad }' "$joblog"; then
            status=1
        fi
    fi
    if grep -qi deadlock "$err"; then
        fail "$tag: DEADLOCK in a session:"
        grep -i -m5 -A2 deadlock "$err" | sed 's/^/    /'
        ok=1
    elif [ "$status" -ne 0 ] || [ -s "$err" ]; then
        fail "$tag: a session failed (status $status):"
        head -n 10 "$err" | sed 's/^/    /'
        ok=1
    fi
    # The server's own count, in case a deadlock was resolved out of sight.
    local deadlocks
    deadlocks=$(psql_db "$db" -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
    if [ "$deadlocks" != 0 ]; then
        fail "$tag: pg_stat_database counts $deadlocks deadlock(s)"
        ok=1
    fi
    if [ "$total" != "$(($# * tweets_per_file))" ]; then
        fail "$tag: $total tweets loaded, expected $(($# * tweets_per_file))"
        ok=1
    fi
    [ "$ok" = 0 ] || elapsed="$elapsed!"
    return "$ok"
}

# "KEYS DANGLING": the database's foreign keys (from the catalog) and the
# rows that refer through one of them to a row that is not there.
dangling() {  # dangling DB
    local sql
    sql=$(psql_db "$1" -c "SELECT format('SELECT %s, 0', count(*)) || string_agg(format(
            ' + (SELECT count(*) FROM %s t WHERE t.%I IS NOT NULL AND NOT EXISTS'
            ' (SELECT FROM %s r WHERE r.%I = t.%I))',
            c.conrelid::regclass, a.attname, c.confrelid::regclass, b.attname, a.attname), '')
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]
        WHERE c.contype = 'f'") || return 1
    psql_db "$1" -F ' ' -c "$sql"
}

# Compares the digest of DB with the file REF; prints the tables that differ.
# In the normalized layout, every foreign key must hold as well.
compare() {  # compare DB LAYOUT REF TAG
    local got=$tmp/$4.digest n
    digest "$1" "$2" >"$got" || { fail "$4: cannot read the tables"; return 1; }
    if [ "$2" = normalized ]; then
        n=$(dangling "$1")
        [ "$n" = "10 0" ] ||
            { fail "$4: foreign keys and rows that refer to no row: $n (expected 10 0)"; return 1; }
    fi
    if ! diff -q "$3" "$got" >/dev/null; then
        fail "$4: contents differ from the sequential load (table|rows|md5):"
        diff "$3" "$got" | sed 's/^/    /'
        return 1
    fi
}

summary=()
combos=(denormalized:denormalized normalized:normalized normalized:batch normalized_batch:batch)
for layout in denormalized normalized normalized_batch; do
    make_template "$layout" || { echo "cannot create the $layout template"; exit 1; }
done

for combo in "${combos[@]}"; do
    layout=${combo%%:*}
    mode=${combo#*:}
    name="$layout/'$mode'"
    key=${layout}_$mode
    before=$failures
    start_combo=$EPOCHREALTIME
    echo "== $name"

    # The reference: a sequential load in file order.
    db=${dbprefix}_${key}_seq
    fresh_db "$layout" "$db"
    if ! load_sequential "$db" "$mode" "${files[@]}"; then
        fail "$name: the sequential load failed"
        drop_db "$db"
        summary+=("$(printf '%-30s %8s %8s %8s %8s %8s %8s %8s  %s' "$name" failed - - - - - - FAILED)")
        continue
    fi
    t_seq=$elapsed
    ref=$tmp/$key.ref
    digest "$db" "$layout" >"$ref"
    drop_db "$db"
    echo "  sequential:           ${t_seq}s  ($(tr '\n' ' ' <"$ref" | sed -E 's/\|[0-9a-f]{32}//g'))"

    # The same files in reverse order.
    db=${dbprefix}_${key}_rev
    fresh_db "$layout" "$db"
    if load_sequential "$db" "$mode" "${reversed[@]}"; then
        compare "$db" "$layout" "$ref" "$key.reverse" && r=same || r=DIFFERENT
    else
        fail "$name: the reverse sequential load failed"
        r=failed
    fi
    t_rev=$elapsed
    drop_db "$db"
    echo "  sequential, reversed: ${t_rev}s  $r"

    # Three parallel rounds with every file once.
    t_par=()
    round=0
    for how in script 50 7; do
        round=$((round + 1))
        db=${dbprefix}_${key}_p$round
        list=("${files[@]}")
        [ "$how" = 7 ] && list=("${reversed[@]}")
        fresh_db "$layout" "$db"
        if load_parallel "$db" "$mode" "$how" "$key.p$round" "${list[@]}"; then
            compare "$db" "$layout" "$ref" "$key.p$round" && r=same || r=DIFFERENT
        else
            r=failed
        fi
        t_par+=("$elapsed")
        drop_db "$db"
        case $how in
            script) how_text="scripts/load_parallel.sh" ;;
            *) how_text="GNU parallel, batch_size $how" ;;
        esac
        printf '  parallel round %d:     %ss  %d sessions, %s: %s\n' \
            "$round" "$elapsed" "${#list[@]}" "$how_text" "$r"
    done

    # Every file twice: twice the sessions on the same keys.
    ref2=$ref
    t_seq2=-
    if [ "$layout" != normalized ]; then
        db=${dbprefix}_${key}_seq2
        fresh_db "$layout" "$db"
        if load_sequential "$db" "$mode" "${doubled[@]}"; then
            ref2=$tmp/$key.ref2
            digest "$db" "$layout" >"$ref2"
        else
            fail "$name: the sequential load of the doubled list failed"
        fi
        t_seq2=$elapsed
        drop_db "$db"
        echo "  sequential, doubled:  ${t_seq2}s"
    fi
    db=${dbprefix}_${key}_p2x
    fresh_db "$layout" "$db"
    if load_parallel "$db" "$mode" 50 "$key.p2x" "${doubled[@]}"; then
        compare "$db" "$layout" "$ref2" "$key.p2x" && r=same || r=DIFFERENT
    else
        r=failed
    fi
    t_par2=$elapsed
    drop_db "$db"
    echo "  parallel, doubled:    ${t_par2}s  ${#doubled[@]} sessions, batch_size 50: $r"

    [ "$failures" = "$before" ] && result=ok || result=FAILED
    echo "  ($(since "$start_combo")s for $name)"
    summary+=("$(printf '%-30s %8s %8s %8s %8s %8s %8s %8s  %s' "$name" \
        "$t_seq" "$t_rev" "${t_par[0]}" "${t_par[1]}" "${t_par[2]}" "$t_seq2" "$t_par2" "$result")")
done

echo
echo "== results: seconds per load of $nfiles files x $tweets_per_file tweets on $(nproc) cores"
echo "   (seq = sequential, rev = reversed, p1 = load_parallel.sh, p2/p3 = batch_size 50/7,"
echo "    x2 = every file twice; '!' marks a failed round)"
printf '%-30s %8s %8s %8s %8s %8s %8s %8s  %s\n' combination seq rev p1 p2 p3 "seq x2" "par x2" result
printf '%s\n' "${summary[@]}"
echo
if [ "$failures" -gt 0 ]; then
    echo "parallel_stress: $failures failure(s)"
    exit 1
fi
echo "parallel_stress: no deadlock, no failed session; every parallel load equals the sequential one"
