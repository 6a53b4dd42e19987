#!/usr/bin/env bash
# Benchmark of loads into a Citus cluster against loads into one server, in
# the same run, on one machine: a private cluster (scripts/citus.sh: a
# coordinator and two workers, shared_buffers 128MB, other settings stock),
# N generated tweets in F files (bench/gen_tweets.py).
#
#   bench/citus.sh [--runs R] [--tweets N] [--files F] [--workdir DIR]
#
# For every mode, each run into fresh schemas:
#   single   the files one after another in one session into a layout of
#            plain tables on the coordinator: one server's load;
#   citus    the same into the distributed layout, from the coordinator;
#   spread   the files in parallel by load_parallel.sh --hosts over the three
#            nodes (loads from the workers as well).
# Prints per mode the median seconds (R runs, default 3), citus/single,
# and the CPU seconds each node's processes used in the last run (from
# /proc: the postmaster's own and its children's, ended ones included).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=3 tweets=40000 nfiles=4 workdir=/tmp/tweet_loader_bench_citus
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift ;;
        --tweets) tweets=$2; shift ;;
        --files) nfiles=$2; shift ;;
        --workdir) workdir=$2; shift ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done

"$root/scripts/citus.sh" install
mkdir -p "$workdir"
chmod 755 "$workdir"
prefix=gen-$tweets-$nfiles
if [ ! -f "$workdir/$prefix-01.jsonl" ]; then
    echo "# generating $tweets tweets in $nfiles files in $workdir"
    python3 "$root/bench/gen_tweets.py" --out "$workdir" --files "$nfiles" \
        --tweets $((tweets / nfiles)) --format plain --prefix "$prefix" --seed 5 >/dev/null 2>&1
fi
chmod a+r "$workdir"/*.jsonl
files=("$workdir/$prefix"-*.jsonl)
echo "# ${#files[@]} files, $(cat "${files[@]}" | wc -l) lines, $(du -cm "${files[@]}" | tail -1 | cut -f1) MB"

cluster=$workdir/cluster
trap '"$root/scripts/citus.sh" stop "$cluster"' EXIT
eval "$("$root/scripts/citus.sh" start "$cluster")"
nodes=(coordinator worker1 worker2)
hosts="$PGHOST:$PGPORT,$cluster/worker1/socket:$CITUS_WORKER1_PORT,$cluster/worker2/socket:$CITUS_WORKER2_PORT"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
tick=$(getconf CLK_TCK)

# CPU seconds of one node so far: the postmaster and its children, live
# (utime + stime) and ended (cutime + cstime of the postmaster).
node_cpu() {
    local pid ticks=0 p f
    pid=$(head -1 "$cluster/$1/postmaster.pid")
    read -r -a f <<<"$(sed 's/^.*) //' "/proc/$pid/stat")"
    ticks=$(( f[11] + f[12] + f[13] + f[14] ))
    for p in $(pgrep -P "$pid"); do
        # a child may end meanwhile: then its time is in the postmaster's
        read -r -a f <<<"$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null)"
        [ ${#f[@]} -gt 13 ] && ticks=$(( ticks + f[11] + f[12] ))
    done
    echo "$ticks"
}
cpu_all() { local n; for n in "${nodes[@]}"; do printf '%s ' "$(node_cpu "$n")"; done; }

schema() {  # schema LAYOUT DISTRIBUTED: a fresh bench schema
    q -c "SET client_min_messages = error; DROP SCHEMA IF EXISTS bench CASCADE;
          CREATE SCHEMA bench; SET search_path = bench, public;
          SELECT create_tweet_tables('$1', distributed => $2)" >/dev/null
    q -c "CHECKPOINT" >/dev/null
}

# run KIND MODE: seconds of one load; the nodes' CPU seconds into $workdir/cpu
run() {
    local sql="SET search_path = bench, public;" f t0 t1 before after
    for f in "${files[@]}"; do sql+="SELECT tweets FROM load_tweets('$f', '$2');"; done
    before=($(cpu_all))
    t0=$EPOCHREALTIME
    if [ "$1" = spread ]; then
        PGOPTIONS="-c search_path=bench,public" "$root/scripts/load_parallel.sh" \
            --hosts "$hosts" -j 3 "$2" "${files[@]}" >/dev/null
    else
        q -c "$sql" >/dev/null
    fi
    t1=$EPOCHREALTIME
    sleep 1  # the workers' backends of the session end
    after=($(cpu_all))
    local i cpu_used=""
    for i in 0 1 2; do
        cpu_used+=$(awk -v a="${before[$i]}" -v b="${after[$i]}" -v t="$tick" \
                    'BEGIN { printf "%.1f ", (b - a) / t }')
    done
    echo "$cpu_used" >"$workdir/cpu"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'
}

declare -A layout_of=([denormalized]=denormalized [normalized]=normalized
                      [batch]=normalized [batch_nb]=normalized_batch)
printf '%-26s %8s %8s %8s %7s  %s\n' "mode" "single" "citus" "spread" "ratio" \
    "CPU s single | citus | spread (coordinator, worker1, worker2)"
for m in denormalized normalized batch batch_nb; do
    mode=${m%_nb}
    label="$mode -> ${layout_of[$m]}"
    declare -A secs=() cpu=()
    for kind in single citus spread; do
        times=()
        for ((r = 1; r <= runs; r++)); do
            schema "${layout_of[$m]}" "$([ "$kind" = single ] && echo false || echo true)"
            times+=("$(run "$kind" "$mode")")
        done
        secs[$kind]=$(printf '%s\n' "${times[@]}" | median)
        cpu[$kind]=$(cat "$workdir/cpu")
    done
    ratio=$(awk -v a="${secs[citus]}" -v b="${secs[single]}" 'BEGIN { printf "%.2f", a / b }')
    printf '%-26s %8s %8s %8s %7s  %s| %s| %s\n' "$label" "${secs[single]}" "${secs[citus]}" \
        "${secs[spread]}" "$ratio" "${cpu[single]}" "${cpu[citus]}" "${cpu[spread]}"
done
