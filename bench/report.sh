# The report of bench/bench.sh, sourced by it once the loads are measured:
# medians, ratios to the baseline, results.md, results.csv and the chart.
# Uses bench.sh's variables (rows, times, out, runs, ...); not run alone.

median_of() {  # median_of FORMAT: the median of the numbers on stdin
    sort -g | awk -v f="$1" '{ v[NR] = $1 } END {
        printf f, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# The columns of $times: row, how, run, elapsed seconds (4), CPU seconds (5).
median() {  # median ROW HOW [COLUMN]: of the times (or CPU) over the runs
    awk -F'\t' -v r="$1" -v h="$2" -v c="${3:-4}" '$1 == r && $2 == h { print $c }' "$times" |
        median_of %.3f
}
# ratio ROW HOW BASEROW BASEHOW [COLUMN]: the median over runs of ROW's time
# (or CPU) divided by BASEROW's in the same run. Paired this way, a run in
# which the shared machine was slow for every load counts like any other.
ratio() {
    awk -F'\t' -v r="$1" -v h="$2" -v br="$3" -v bh="$4" -v c="${5:-4}" '
        $1 == r && $2 == h { t[$3] = $c }
        $1 == br && $2 == bh { b[$3] = $c }
        END { for (k in t) if (k in b && b[k] > 0) print t[k] / b[k] }' "$times" |
        median_of %.2f
}
# speedup_vs_baseline ROW: the median over runs of ROW's speedup divided by
# the baseline's speedup in the same run.
speedup_vs_baseline() {
    awk -F'\t' -v r="$1" '
        $1 == r { t[$2, $3] = $4; runs[$3] = 1 }
        $1 == "baseline" { b[$2, $3] = $4 }
        END { for (k in runs) if (t["par", k] > 0 && b["par", k] > 0)
                  print (t["seq", k] / t["par", k]) / (b["seq", k] / b["par", k]) }' "$times" |
        median_of %.2f
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

nproc=$(nproc)
par_jobs=${jobs:-$nproc}
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
pgver=$(psql_q -c "SELECT version()")
when=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
json_mb=$(calc %.1f "$json_bytes / 1e6")
zip_mb=$(calc %.1f "$zip_bytes / 1e6")

mkdir -p "$out"
csv=$out/results.csv
md=$out/results.md
chartdat=$workdir/chart.dat
echo "load,mode,layout,files,tweets_per_file,tweet_bytes,runs,seq_s,par_s,seq_tweets_per_s,par_tweets_per_s,seq_json_mb_per_s,par_json_mb_per_s,speedup,speedup_vs_baseline_speedup,seq_cpu_s,par_cpu_s,par_vs_seq_cpu,seq_vs_baseline,par_vs_baseline" >"$csv"
: >"$chartdat"
tweet_bytes=$(calc %.0f "$json_bytes / $total_tweets")
table="| load | elapsed s seq | elapsed s par | tweets/s seq | JSON MB/s seq | speedup seq/par | speedup / baseline's | CPU s seq | CPU s par | CPU par / seq | seq / baseline seq | par / baseline par |
|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
for row in "${rows[@]}"; do
    s=$(median "$row" seq) p=$(median "$row" par)
    tps_s=$(calc %.0f "$total_tweets / $s") tps_p=$(calc %.0f "$total_tweets / $p")
    mbs_s=$(calc %.1f "$json_bytes / 1e6 / $s") mbs_p=$(calc %.1f "$json_bytes / 1e6 / $p")
    sp=$(ratio "$row" seq "$row" par) spb=$(speedup_vs_baseline "$row")
    # CPU: the medians, and the parallel run's divided by the sequential
    # one's (the CPU cost per tweet of going parallel).
    cs=$(calc %.2f "$(median "$row" seq 5)") cp=$(calc %.2f "$(median "$row" par 5)")
    cr=$(ratio "$row" par "$row" seq 5)
    rs=$(ratio "$row" seq baseline seq) rp=$(ratio "$row" par baseline par)
    echo "${row},${kind[$row]},${layout[$row]},$files,$tweets,$tweet_bytes,$runs,$s,$p,$tps_s,$tps_p,$mbs_s,$mbs_p,$sp,$spb,$cs,$cp,$cr,$rs,$rp" >>"$csv"
    table+=$'\n'"| ${label[$row]} | $(calc %.2f "$s") | $(calc %.2f "$p") | $tps_s | $mbs_s | $sp | $spb | $cs | $cp | $cr | $rs | $rp |"
    printf '%s\t%s\t%s\n' "${chartlabel[$row]}" "$s" "$p" >>"$chartdat"
done

{
    echo "# tweet_loader benchmark"
    echo
    echo "- machine: $nproc cores, $cpu, $mem_gib GiB memory; load average at start $load_start"
    echo "- server: $pgver; $server_desc"
    echo "- data: $files files x $tweets tweets ($total_tweets tweet lines, $expected distinct tweets, $tweet_bytes bytes of JSON per line), zip, $zip_mb MB compressed, $json_mb MB of JSON"
    echo "- $runs run(s) of every measurement; date $when; commit $commit"
    echo "- elapsed times are medians over the runs; the speedup and the ratios to the"
    echo "  baseline are medians of the same ratios taken within each run"
    echo
    echo "$table"
    echo
    echo "Sequential: one psql session per file, one after another. Parallel: xargs -P,"
    echo "one session per file, $par_jobs at a time. Every load goes into a"
    echo "fresh database and is checked: $expected distinct tweets, as the baseline."
    echo "MB = 10^6 bytes of uncompressed JSON. Baseline, the assignment's fastest path:"
    echo "\`unzip -p FILE | sed '$SED_EXPR' | psql -c \"$COPY_SQL\"\`"
    echo "into \`tweets_jsonb (data jsonb)\` (default compression, no extension). The files"
    echo "hold no escaped backslash followed by \`u0000\`, which that sed would break."
    echo
    echo "CPU s: what the whole machine spent in user and system mode while the files"
    echo "loaded (/proc/stat), server and clients; \"CPU par / seq\" is the CPU cost per"
    echo "tweet of the parallel load against the sequential one. \"speedup / baseline's\""
    echo "is the load's speedup divided by the baseline's in the same run."
    echo
    echo "Sessions alone (one psql per file that runs \`SELECT 0\`, started the same"
    echo "way): $(calc %.2f "$(median sessions seq)") s sequentially, $(calc %.2f "$(median sessions par)") s in parallel. Every time"
    echo "above includes them."
    if [ "${#mem_rows[@]}" -gt 0 ]; then
        echo
        echo "## Peak memory (target 6)"
        echo
        echo "Peak memory of the backend while it loads one file, sampled from"
        echo "/proc/PID/status every 20 ms; a fresh session per measurement. Private"
        echo "is RssAnon, the memory the loader allocates; VmHWM adds every page of shared"
        echo "buffers the backend touched, which grows with the data written (up to"
        echo "shared_buffers) whatever the loader does."
        echo
        echo "| load | private MB, 1000 tweets | private MB, $mem_tweets tweets | difference MB | within 64 MB | VmHWM MB, 1000 | VmHWM MB, $mem_tweets |"
        echo "|---|--:|--:|--:|:-:|--:|--:|"
        for r in "${mem_rows[@]}"; do
            IFS=$'\t' read -r name a b ha hb <<<"$r"
            d=$(calc %.1f "($b - $a) / 1024")
            ok=$(awk -v d="$d" 'BEGIN { print (d <= 64 ? "yes" : "no") }')
            echo "| $name | $(calc %.1f "$a / 1024") | $(calc %.1f "$b / 1024") | $d | $ok | $(calc %.1f "$ha / 1024") | $(calc %.1f "$hb / 1024") |"
        done
    fi
    echo
    echo "## All runs (seconds)"
    echo
    echo "| load | how | run | seconds | CPU seconds |"
    echo "|---|---|--:|--:|--:|"
    while IFS=$'\t' read -r row how run secs cpus; do
        echo "| ${label[$row]} | $how | $run | $secs | $cpus |"
    done <"$times"
    echo
    echo "![chart](chart.png)"
} >"$md"

gnuplot -e "datafile='$chartdat'; outfile='$out/chart.png'; \
            charttitle='tweet_loader: $files files x $tweets tweets, $nproc cores (median of $runs)'" \
    "$root/bench/bench_chart.gnuplot" || die "gnuplot failed"

echo
sed -n '/^- machine/,/^| batch -> normalized_batch/p' "$md"
echo
sed -n '/^Sessions alone/,/^above/p' "$md"
if [ "${#mem_rows[@]}" -gt 0 ]; then
    echo
    sed -n '/^| load | private/,/^$/p' "$md"
fi
echo
echo "wrote $md, $csv, $out/chart.png"
