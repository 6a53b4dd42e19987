#!/usr/bin/env bash
# Benchmark of tweet_loader against the assignment's fastest load (unzip | sed
# | COPY into a jsonb table), sequential and parallel, on generated files.
#
#   bench/bench.sh                      10 files x 10,000 tweets, 5 runs
#   bench/bench.sh --small              10 files x 1,000 tweets
#   bench/bench.sh --files N --tweets M --runs R
#
# Options:
#   --files N        number of files (default 10)
#   --tweets M       tweet lines per file (default 10000)
#   --small          the same as --files 10 --tweets 1000
#   --runs R         repetitions of every measurement (default 5): medians of
#                    the times, and of the ratios taken within each run
#   --workdir DIR    where generated files are cached (default
#                    /tmp/tweet_loader_bench); the server must be able to read it
#   --out DIR        where results.md, results.csv and chart.png go (default
#                    bench/ of the project)
#   --no-memory      skip the peak memory measurement (target 6)
#   --memory-tweets K  tweets of the large file of the memory measurement
#                    (default 100000)
#   --no-build       do not run install_deps.sh and make install first
#   --jobs J         parallel sessions at a time (default: one per core)
#   --small-tweets   tweets of 2 to 3 kB on average instead of about 4.3 kB
#                    (gen_tweets.py --small-tweets)
#   --tuned          a tuned server instead of a stock one (see below)
#
# Every load goes into a fresh database. Each load is checked: the number of
# distinct tweets must equal the baseline's, else the benchmark stops.
# The server is private and made by scripts/pg_server.sh, (re)started and
# left running. By default it is stock: initdb's postgresql.conf with only
# its port and socket set (shared_buffers 128 MB, autovacuum on, huge pages
# as the machine has them), in $workdir/pgdata-stock, as a user's fresh
# server. --tuned uses $workdir/pgdata-tuned instead: shared_buffers 512 MB,
# max_wal_size 4 GB, autovacuum off (its workers visit the fresh databases
# while files load and, in a parallel run, take a core from the loads), and,
# run as root, the shared memory on 2 MB huge pages (vm.nr_hugepages is set
# for the run and given back): with 4 kB pages every session faults in each
# page of shared buffers it touches. The report says which server it was.
# Each measurement also records the CPU time the whole machine spent
# (/proc/stat, user and system) while the files loaded.
set -euo pipefail

# The baseline is the assignment's command as it was. Its sed also cuts an
# escaped backslash followed by the text "u0000" (JSON "\\u0000") and makes
# such a line invalid, so the benchmark files are generated without those
# texts (gen_tweets.py --no-literal-backslash); the loader handles them.
SED_EXPR='s/\\u0000//g'
COPY_SQL="COPY tweets_jsonb (data) FROM STDIN csv quote e'\\x01' delimiter e'\\x02'"

# ------------------------------------------------------------------ worker
# bench.sh --load-one KIND DB FILE: loads one file into DB in one session and
# prints the number of tweets loaded (baseline: rows copied). Used by the
# sequential loop and by the parallel one (xargs -P).
if [ "${1:-}" = "--load-one" ]; then
    kind=$2 db=$3 file=$4
    if [ "$kind" = session ]; then  # the session alone, no load
        exec psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "SELECT 0"
    elif [ "$kind" = baseline ]; then
        out=$(unzip -p "$file" | sed "$SED_EXPR" |
              psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$COPY_SQL" 2>&1) ||
            { echo "$file: $out" >&2; exit 1; }
        echo 0
    else
        lit=${file//\'/\'\'}
        exec psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" \
            -c "SELECT tweets FROM load_tweets('$lit', '$kind')"
    fi
    exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
self=$root/bench/bench.sh

files=10 tweets=10000 runs=5 memory=1 mem_tweets=100000 build=1 jobs= tuned=0 small=0
workdir=/tmp/tweet_loader_bench
out=$root/bench
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --files) files=$2; shift ;;
        --tweets) tweets=$2; shift ;;
        --small) files=10 tweets=1000 ;;
        --runs) runs=$2; shift ;;
        --workdir) workdir=$2; shift ;;
        --out) out=$2; shift ;;
        --no-memory) memory=0 ;;
        --memory-tweets) mem_tweets=$2; shift ;;
        --no-build) build=0 ;;
        --jobs) jobs=$2; shift ;;
        --small-tweets) small=1 ;;
        --tuned) tuned=1 ;;
        -h|--help) usage ;;
        *) echo "unknown option: $1" >&2; usage ;;
    esac
    shift
done
for v in "$files" "$tweets" "$runs" "$mem_tweets" ${jobs:+"$jobs"}; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "not a positive number: $v" >&2; exit 2; }
done

die() { echo "bench: $*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }
cd "$root"

# ------------------------------------------------------------------ setup
if [ "$build" = 1 ]; then
    say "== dependencies and build"
    scripts/install_deps.sh
    make -s -j2 >/dev/null && make -s install >/dev/null || die "build failed"
fi

mkdir -p "$workdir"
chmod a+rx "$workdir"
workdir=$(cd "$workdir" && pwd -P)
if [ "$tuned" = 1 ]; then server_kind=tuned; else server_kind=stock; fi
export TWEET_PGDATA=${TWEET_BENCH_PGDATA:-$workdir/pgdata-$server_kind}
# 320 pages of 2 MB hold the 512 MB of shared buffers of the tuned server
# and the rest of its shared memory. The setting is given back at the end;
# the pages the server then holds stay its own until it stops (the kernel
# counts them as surplus pages).
huge_wanted=320
huge_before=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
if [ "$tuned" = 1 ] && [ "$(id -u)" = 0 ] && [ "$huge_before" -lt "$huge_wanted" ]; then
    say "== reserving $huge_wanted huge pages of 2 MB (vm.nr_hugepages)"
    if sysctl -q -w vm.nr_hugepages=$huge_wanted; then
        trap 'sysctl -q -w vm.nr_hugepages=$huge_before' EXIT
    else
        say "   could not reserve them"
    fi
fi
scripts/pg_server.sh stop  # started again below, to map the pages there are
[ "$tuned" = 1 ] || export TWEET_PG_STOCK=1
server_env=$(scripts/pg_server.sh start) ||
    die "the server did not start, see $TWEET_PGDATA/server.log"
eval "$server_env"
export PGDATABASE=postgres
# The server's own psql, not Debian's wrapper (a Perl script that costs
# about 40 ms of CPU per session, in the baseline and in every load alike).
PATH=$(pg_config --bindir):$PATH
say "== $server_kind server $PGHOST port $PGPORT"
# The page size of the server's shared memory: hugetlb pages in use by the
# postmaster, or none.
postmaster_pid=$(head -1 "$TWEET_PGDATA/postmaster.pid")
hugetlb_kb=$(awk '/^HugetlbPages:/ { print $2 }' "/proc/$postmaster_pid/status" 2>/dev/null)
if [ "${hugetlb_kb:-0}" -gt 0 ]; then
    pages="2 MB huge pages"
else
    pages="4 kB pages (no huge pages)"
fi
say "   shared memory on $pages"

psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

autovacuum=on
[ "$tuned" = 1 ] && autovacuum=off
psql_q -c "ALTER SYSTEM SET autovacuum = $autovacuum" -c "SELECT pg_reload_conf()" >/dev/null
tries=0  # the reload reaches new sessions a moment later
until [ "$(psql_q -c "SHOW autovacuum")" = $autovacuum ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || die "could not set autovacuum $autovacuum"
    sleep 0.1
done
server_desc="$server_kind postgresql.conf, shared_buffers $(psql_q -c "SHOW shared_buffers"), autovacuum $autovacuum, shared memory on $pages"
say "   $server_desc"

# Whether the server (user postgres when we are root) can read a file.
server_can_read() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- test -r "$1"; else test -r "$1"; fi
}

# gen_files DIR N M: generates N zip files of M tweets into DIR unless a
# complete earlier generation with the same arguments and generator is there.
# Writes DIR/sizes.tsv: file, uncompressed JSON bytes.
gen_hash=$(cat bench/gen_tweets.py bench/tweetgen/*.py | sha1sum | cut -c1-12)-sedsafe
gen_opts=()
if [ "$small" = 1 ]; then gen_hash+=-small; gen_opts=(--small-tweets); fi
gen_files() {
    local dir=$1 n=$2 m=$3 tmp f
    if [ -f "$dir/complete" ]; then
        say "   reusing $dir"
        return
    fi
    say "   generating $n file(s) of $m tweets into $dir"
    tmp=$dir.tmp.$$
    rm -rf "$tmp"
    mkdir -p "$tmp"
    python3 bench/gen_tweets.py --out "$tmp" --files "$n" --tweets "$m" \
        --format zip --seed 1 --prefix geoTwitter21 --no-literal-backslash "${gen_opts[@]}" \
        >"$tmp.log" 2>&1 ||
        { cat "$tmp.log" >&2; die "the generator failed"; }
    rm -f "$tmp.log"
    for f in "$tmp"/*.zip; do
        printf '%s\t%s\n' "$(basename "$f")" "$(unzip -p "$f" | wc -c)"
    done >"$tmp/sizes.tsv"
    touch "$tmp/complete"
    chmod -R a+rX "$tmp"
    rm -rf "$dir"
    mv "$tmp" "$dir"
}

say "== data"
datadir=$workdir/data/zip-f$files-t$tweets-$gen_hash
gen_files "$datadir" "$files" "$tweets"
mapfile -t paths < <(ls "$datadir"/*.zip)
[ "${#paths[@]}" = "$files" ] || die "expected $files files in $datadir"
server_can_read "${paths[0]}" ||
    die "the server cannot read $datadir: use --workdir with a directory it can read"
json_bytes=$(awk -F'\t' '{ s += $2 } END { printf "%d", s }' "$datadir/sizes.tsv")
zip_bytes=$(du -cb "${paths[@]}" | tail -1 | cut -f1)
total_tweets=$((files * tweets))

# ------------------------------------------------------------------ databases
# One template database per layout, made again on every run so that it has
# the installed version of the extension; each load gets a copy.
make_template() {
    local name=bench_tpl_$1
    dropdb --if-exists "$name" 2>/dev/null
    createdb "$name"
    if [ "$1" = baseline ]; then
        psql_q -d "$name" -c "CREATE TABLE tweets_jsonb (data jsonb)"
    else
        psql_q -d "$name" -c "SET client_min_messages = warning" \
            -c "CREATE EXTENSION tweet_loader CASCADE" \
            -c "SELECT create_tweet_tables('$1')" >/dev/null
    fi
}
fresh_db() {  # fresh_db TEMPLATE: (re)creates bench_run from bench_tpl_TEMPLATE
    dropdb --if-exists bench_run 2>/dev/null
    createdb -T "bench_tpl_$1" bench_run
    psql_q -c CHECKPOINT
}
say "== template databases"
for t in baseline denormalized normalized normalized_batch; do make_template "$t"; done

# ------------------------------------------------------------------ loads
# The rows of the table: key, load kind (baseline or load_tweets mode), layout.
rows=(baseline denormalized normalized batch_normalized batch_normalized_batch)
declare -A kind=([baseline]=baseline [denormalized]=denormalized [normalized]=normalized
                 [batch_normalized]=batch [batch_normalized_batch]=batch)
declare -A layout=([baseline]=baseline [denormalized]=denormalized [normalized]=normalized
                   [batch_normalized]=normalized [batch_normalized_batch]=normalized_batch)
declare -A label=([baseline]="baseline (unzip, sed, COPY)"
                  [denormalized]="denormalized"
                  [normalized]="normalized (row mode)"
                  [batch_normalized]="batch -> normalized"
                  [batch_normalized_batch]="batch -> normalized_batch")
label[sessions]="sessions alone (SELECT 0)"
declare -A chartlabel=([baseline]="baseline COPY" [denormalized]="denormalized"
                       [normalized]="normalized (row)" [batch_normalized]="batch→normalized"
                       [batch_normalized_batch]="batch→normalized_batch")

logdir=$workdir/logs
mkdir -p "$logdir"
log=$logdir/loads.log
: >"$log"
times=$workdir/times.tsv
: >"$times"
expected=

# cpu_ticks: the CPU time the machine has spent in user and system mode
# since boot, in clock ticks (/proc/stat; steal and idle left out).
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
hz=$(getconf CLK_TCK)

# run_files KIND HOW OUTFILE: runs "--load-one KIND" for every file,
# sequentially (one session after another) or in parallel (xargs -P, one
# session per file, --jobs at a time; GNU parallel's own start and per-job
# work, about 0.2 s and 0.3 CPU s per 10 files here, weighed on small
# files more than some loads themselves and is not what is measured);
# prints the elapsed seconds and the CPU seconds the machine spent.
run_files() {
    local k=$1 how=$2 outfile=$3 start end c0 c1
    c0=$(cpu_ticks)
    start=$EPOCHREALTIME
    if [ "$how" = seq ]; then
        : >"$outfile"
        for f in "${paths[@]}"; do
            "$self" --load-one "$k" bench_run "$f" >>"$outfile" 2>>"$log" ||
                die "$k ($how): loading $f failed, see $log"
        done
    else
        printf '%s\0' "${paths[@]}" |
            xargs -0 -n 1 -P "${jobs:-$(nproc)}" "$self" --load-one "$k" bench_run \
            >"$outfile" 2>>"$log" || die "$k ($how): a load failed, see $log"
    fi
    end=$EPOCHREALTIME
    c1=$(cpu_ticks)
    awk -v a="$start" -v b="$end" -v c="$((c1 - c0))" -v hz="$hz" \
        'BEGIN { printf "%.3f\t%.2f", b - a, c / hz }'
}

# measure ROW HOW RUN: loads every file into a fresh database, records the
# elapsed and CPU seconds and checks the result.
measure() {
    local row=$1 how=$2 run=$3 secs cpus outfile n loaded
    fresh_db "${layout[$row]}"
    outfile=$logdir/$row.$how.$run.out
    secs=$(run_files "${kind[$row]}" "$how" "$outfile")
    IFS=$'\t' read -r secs cpus <<<"$secs"
    if [ "$row" = baseline ]; then
        n=$(psql_q -d bench_run -c "SELECT count(DISTINCT data->>'id') FROM tweets_jsonb")
        if [ -z "$expected" ]; then
            expected=$n
            [ "$n" -gt 0 ] || die "the baseline loaded no tweets"
        fi
    else
        loaded=$(awk '{ s += $1 } END { printf "%d", s }' "$outfile")
        [ "$loaded" = "$total_tweets" ] ||
            die "$row ($how, run $run): load_tweets reported $loaded tweet lines, expected $total_tweets"
        n=$(psql_q -d bench_run -c "SELECT count(DISTINCT id_tweets) FROM tweets")
    fi
    [ "$n" = "$expected" ] ||
        die "$row ($how, run $run): $n distinct tweets, the baseline has $expected"
    printf '%s\t%s\t%s\t%s\t%s\n' "$row" "$how" "$run" "$secs" "$cpus" >>"$times"
    printf '   %-26s %-4s run %d: %8.2f s, CPU %6.2f s  (%s distinct tweets)\n' \
        "${label[$row]}" "$how" "$run" "$secs" "$cpus" "$n" >&2
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "== loads: $files files x $tweets tweets, $runs run(s), load average $load_start"
for run in $(seq 1 "$runs"); do
    for row in "${rows[@]}"; do
        measure "$row" seq "$run"
        measure "$row" par "$run"
    done
    # What starting the sessions costs by itself: one psql per file that
    # only runs SELECT 0, started as the loads are.
    for how in seq par; do
        secs=$(run_files session "$how" "$logdir/sessions.$how.$run.out")
        IFS=$'\t' read -r secs cpus <<<"$secs"
        printf '%s\t%s\t%s\t%s\t%s\n' sessions "$how" "$run" "$secs" "$cpus" >>"$times"
        printf '   %-26s %-4s run %d: %8.2f s, CPU %6.2f s\n' "sessions alone" "$how" "$run" "$secs" "$cpus" >&2
    done
done
dropdb --if-exists bench_run

# ------------------------------------------------------------------ memory
# Peak memory of the backend that loads one file, sampled from
# /proc/PID/status every 20 ms while it loads: RssAnon (its private memory:
# what the loader allocates) and VmHWM (all resident pages, including the
# shared buffers it touched, which grow with the data written whatever the
# loader does). A fresh session per measurement.
mem_rows=()
if [ "$memory" = 1 ]; then
    say "== memory: one file of $mem_tweets tweets vs one of 1000"
    small_dir=$workdir/data/zip-f1-t1000-$gen_hash
    large_dir=$workdir/data/zip-f1-t$mem_tweets-$gen_hash
    gen_files "$small_dir" 1 1000
    gen_files "$large_dir" 1 "$mem_tweets"
    small_file=$(ls "$small_dir"/*.zip) large_file=$(ls "$large_dir"/*.zip)
    peak() {  # peak MODE LAYOUT FILE: "peak-RssAnon-kB VmHWM-kB"
        fresh_db "$2"
        psql_q -d bench_run -c "SELECT pg_sleep(0.5)" \
            -c "SELECT tweets FROM load_tweets('$3', '$1')" >/dev/null &
        local client=$! pid="" anon=0 hwm=0 a h
        while [ -z "$pid" ] && kill -0 "$client" 2>/dev/null; do
            pid=$(psql_q -d postgres -c "SELECT pid FROM pg_stat_activity
                WHERE datname = 'bench_run' AND backend_type = 'client backend'")
        done
        while kill -0 "$client" 2>/dev/null; do
            read -r a h < <(awk '/^RssAnon/ { a = $2 } /^VmHWM/ { h = $2 }
                END { print a + 0, h + 0 }' "/proc/$pid/status" 2>/dev/null || echo 0 0)
            [ "$a" -gt "$anon" ] && anon=$a
            [ "$h" -gt "$hwm" ] && hwm=$h
            sleep 0.02
        done
        wait "$client" || die "load failed in the memory measurement"
        echo "$anon $hwm"
    }
    for m in batch:normalized denormalized:denormalized; do
        mode=${m%%:*} lay=${m#*:}
        read -r small_anon small_hwm < <(peak "$mode" "$lay" "$small_file")
        read -r large_anon large_hwm < <(peak "$mode" "$lay" "$large_file")
        [ "$small_anon" -gt 0 ] && [ "$large_anon" -gt 0 ] ||
            die "could not sample the backend's memory ($mode)"
        mem_rows+=("$mode -> $lay"$'\t'"$small_anon"$'\t'"$large_anon"$'\t'"$small_hwm"$'\t'"$large_hwm")
        say "   $mode -> $lay: private ${small_anon} / ${large_anon} kB, VmHWM ${small_hwm} / ${large_hwm} kB (1000 / $mem_tweets tweets)"
    done
    dropdb --if-exists bench_run
fi

# ------------------------------------------------------------------ report
. "$root/bench/report.sh"
