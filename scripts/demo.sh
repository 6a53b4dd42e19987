#!/usr/bin/env bash
# The assignment end to end with tweet_loader: installs what is needed, builds
# and installs the extension, starts a private server (scripts/pg_server.sh:
# .pgdata/ of the project, or TWEET_PGDATA), creates the three databases, loads them
# sequentially, prints the nine answers of each, loads them again in
# parallel, checks that all answers agree and prints the elapsed times.
#
#   scripts/demo.sh                  the sample files in data/ (fast)
#   scripts/demo.sh --generate N M   N generated zip files of M tweets each,
#                                    e.g. --generate 10 10000 (the assignment)
#   scripts/demo.sh --full           print every row of the answers (default:
#                                    the first 10 rows of the longer ones)
#
# The server is left running; the script ends by saying how to connect and
# how to stop it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

gen_files= gen_tweets= full=0
while [ $# -gt 0 ]; do
    case $1 in
        --generate)
            [ $# -ge 3 ] || { echo "usage: $0 [--generate FILES TWEETS] [--full]" >&2; exit 2; }
            gen_files=$2 gen_tweets=$3; shift 2
            for v in "$gen_files" "$gen_tweets"; do
                [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "not a positive number: $v" >&2; exit 2; }
            done ;;
        --full) full=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (usage: $0 [--generate FILES TWEETS] [--full])" >&2; exit 2 ;;
    esac
    shift
done

if [ -t 1 ]; then bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' off=$'\e[0m'
else bold= green= red= off=; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
die() { printf '%sdemo: %s%s\n' "$red" "$*" "$off" >&2; exit 1; }
now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# Runs a command quietly; shows its output only when it fails.
quiet() {
    local out
    out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; die "failed: $*"; }
}

step "dependencies, build and install"
quiet scripts/install_deps.sh
quiet make -s -j2
quiet make -s install
echo "tweet_loader built and installed into $(pg_config --pkglibdir)"

step "private PostgreSQL server"
server_env=$(scripts/pg_server.sh start) || die "the server did not start"
eval "$server_env"
export PGHOST PGPORT PGUSER
echo "running: socket $PGHOST, port $PGPORT, data $(scripts/pg_server.sh datadir)"

# The server runs as postgres and reads the files itself.
server_can_read() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- test -r "$1"; else test -r "$1"; fi
}
workdir=/tmp/tweet_loader_demo
step "data"
if [ -n "$gen_files" ]; then
    datadir=$workdir/generated-$gen_files-$gen_tweets-$(cat bench/gen_tweets.py bench/tweetgen/*.py | sha1sum | cut -c1-12)
    if [ ! -f "$datadir/complete" ]; then
        echo "generating $gen_files files of $gen_tweets tweets with bench/gen_tweets.py ..."
        rm -rf "$datadir"
        mkdir -p "$datadir"
        chmod a+rx "$workdir"
        quiet python3 bench/gen_tweets.py --out "$datadir" --files "$gen_files" \
            --tweets "$gen_tweets" --format zip
        chmod -R a+rX "$datadir"
        touch "$datadir/complete"
    fi
    files=("$datadir"/*.zip)
else
    files=("$root"/data/sample-*)
    if ! server_can_read "${files[0]}"; then
        # e.g. a clone under /root: give the server a readable copy
        mkdir -p "$workdir/sample"
        chmod a+rx "$workdir" "$workdir/sample"
        cp "${files[@]}" "$workdir/sample/"
        chmod a+r "$workdir/sample/"*
        files=("$workdir/sample/"*)
    fi
fi
server_can_read "${files[0]}" || die "the server cannot read ${files[0]}"
for f in "${files[@]}"; do
    printf '  %-40s %8s bytes\n' "${f#"$root"/}" "$(stat -c %s "$f")"
done

# The three databases of the assignment and what loads them.
dbs=(pg_denormalized pg_normalized pg_normalized_batch)
declare -A layout=([pg_denormalized]=denormalized [pg_normalized]=normalized
                   [pg_normalized_batch]=normalized_batch)
declare -A mode=([pg_denormalized]=denormalized [pg_normalized]=normalized
                 [pg_normalized_batch]=batch)
declare -A elapsed_seq elapsed_par

recreate() {
    local db
    for db in "${dbs[@]}"; do
        quiet dropdb --if-exists "$db"
        quiet createdb "$db"
        quiet psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
            -c "SET client_min_messages = warning" \
            -c "CREATE EXTENSION tweet_loader CASCADE" \
            -c "SELECT create_tweet_tables('${layout[$db]}')"
    done
    echo "created ${dbs[*]} (layouts ${layout[pg_denormalized]}, ${layout[pg_normalized]}, ${layout[pg_normalized_batch]})"
}

# load HOW: loads every database with scripts/load_sequential.sh or
# scripts/load_parallel.sh, timing each, then refreshes the materialized views.
load() {
    local how=$1 db start end out
    for db in "${dbs[@]}"; do
        echo "${bold}$db${off} (mode ${mode[$db]}):"
        start=$(now)
        if [ "$how" = sequential ]; then
            out=$(PGDATABASE=$db scripts/load_sequential.sh "${mode[$db]}" "${files[@]}" 2>&1) ||
                { printf '%s\n' "$out" >&2; die "sequential load of $db failed"; }
        else
            out=$(PGDATABASE=$db scripts/load_parallel.sh "${mode[$db]}" "${files[@]}" 2>&1) ||
                { printf '%s\n' "$out" >&2; die "parallel load of $db failed"; }
            out=$(grep -v '^job log: ' <<<"$out")
        fi
        end=$(now)
        printf '%s\n' "$out" | sed "s|^/[^\t]*/||; s|^|    |" | column -t -s $'\t'
        if [ "$how" = sequential ]; then elapsed_seq[$db]=$(secs "$start" "$end")
        else elapsed_par[$db]=$(secs "$start" "$end"); fi
        if [ "${layout[$db]}" != denormalized ]; then
            quiet psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
                -c "REFRESH MATERIALIZED VIEW tweet_tags_total" \
                -c "REFRESH MATERIALIZED VIEW tweet_tags_cooccurrence"
        fi
    done
}

# The nine answers, each ordered on all its columns.
declare -A title=(
    [1]="distinct tweets"
    [2]="distinct (tweet, mentioned user) pairs"
    [3]="distinct (tweet, tag) pairs"
    [4]="media (tweet, url, type)"
    [5]="tags of the #coronavirus tweets (any case), tweets using each"
    [6]="the same tags, all tweets using each"
    [7]="tweets tagged #coronavirus per country"
    [8]="English tweets tagged #coronavirus, text length"
    [9]="tweets tagged #coronavirus per day (UTC)")
declare -A order=([1]="" [2]="" [3]="" [4]=""
    [5]="ORDER BY count DESC, tag" [6]="ORDER BY total DESC, tag"
    [7]="ORDER BY count DESC, country_code NULLS LAST" [8]="ORDER BY id"
    [9]="ORDER BY day")

# answers HOW: writes the answers of every database to $answers/HOW/DB/N.txt
# and prints them.
answers=$workdir/answers
answers() {
    local how=$1 db i f n
    for db in "${dbs[@]}"; do
        mkdir -p "$answers/$how/$db"
        echo "${bold}$db${off}"
        for i in 1 2 3 4 5 6 7 8 9; do
            f=$answers/$how/$db/$i.txt
            psql -X -q -v ON_ERROR_STOP=1 -P footer=off -P null='(null)' -d "$db" \
                -f scripts/nine_answers.sql \
                -c "SELECT * FROM answer_$i ${order[$i]}" >"$f.out" 2>"$f.err" ||
                { cat "$f.err" >&2; die "answer $i of $db failed"; }
            grep -v '^$' "$f.out" >"$f" || true
            rm -f "$f.out" "$f.err"
            if [ "$i" -le 4 ]; then
                printf '  %d. %-42s %s\n' "$i" "${title[$i]}:" "$(sed -n 3p "$f" | tr -d ' ')"
            else
                n=$(($(wc -l <"$f") - 2))
                printf '  %d. %s (%d rows%s)\n' "$i" "${title[$i]}" "$n" \
                    "$([ "$full" = 0 ] && [ "$n" -gt 10 ] && echo ", first 10")"
                if [ "$full" = 1 ]; then sed 's/^/       /' "$f"
                else head -n 12 "$f" | sed 's/^/       /'; fi
            fi
        done
    done
}

step "create the three databases"
recreate
step "load sequentially (scripts/load_sequential.sh)"
load sequential
step "the nine answers after the sequential load"
answers sequential

step "create the three databases again"
recreate
step "load in parallel (scripts/load_parallel.sh)"
load parallel
step "the nine answers after the parallel load"
answers parallel

step "check"
ref=$answers/sequential/pg_normalized
bad=0
for how in sequential parallel; do
    for db in "${dbs[@]}"; do
        for i in 1 2 3 4 5 6 7 8 9; do
            if ! cmp -s "$ref/$i.txt" "$answers/$how/$db/$i.txt"; then
                echo "${red}answer $i differs: $how $db vs sequential pg_normalized${off}"
                diff "$ref/$i.txt" "$answers/$how/$db/$i.txt" | head -n 10 | sed 's/^/    /'
                bad=1
            fi
        done
    done
done
[ "$bad" = 0 ] || die "the answers do not agree (all of them are in $answers)"
echo "${green}all nine answers agree${off}: 3 databases x sequential and parallel loads (answers in $answers)"

step "elapsed time (${#files[@]} files, $(nproc) cores)"
printf '|                       | elapsed time (sequential) | elapsed time (parallel) |\n'
printf '| --------------------- | ------------------------- | ----------------------- |\n'
for db in pg_normalized pg_normalized_batch pg_denormalized; do
    printf '| %-21s | %25s | %23s |\n' "\`$db\`" "${elapsed_seq[$db]} s" "${elapsed_par[$db]} s"
done

step "the server is still running"
cat <<EOF
connect:  cd $root && eval "\$(scripts/pg_server.sh env)"; psql -d pg_normalized
          (also pg_normalized_batch and pg_denormalized)
stop:     scripts/pg_server.sh stop      (remove its data: scripts/pg_server.sh destroy)
EOF
if [ -n "${TWEET_PGDATA:-}" ]; then
    echo "          with TWEET_PGDATA=$TWEET_PGDATA set for each of these commands"
fi
