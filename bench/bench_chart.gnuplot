# Clustered bar chart of the benchmark: sequential and parallel elapsed
# seconds per load. Called by bench/bench.sh with
#   gnuplot -e "datafile='...'; outfile='...'; charttitle='...'" bench_chart.gnuplot
# datafile: one line per load: "label"<TAB>sequential s<TAB>parallel s

set terminal pngcairo size 1100,620 font "DejaVu Sans,11" noenhanced
set output outfile
set title charttitle font ",14"
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "elapsed seconds (lower is better)"
set yrange [0:*]
set xrange [-0.6:*]
set offsets 0, 0, graph 0.08, 0
set grid ytics lc rgb "#dddddd"
set key top right
set xtics nomirror scale 0
set ytics nomirror
set border 3

plot datafile using 2:xtic(1) title "sequential" lc rgb "#4878a8", \
     ''       using 3 title "parallel" lc rgb "#e0873a", \
     ''       using ($0 - 0.19):2:(sprintf("%.1f", $2)) with labels offset 0,0.7 notitle, \
     ''       using ($0 + 0.19):3:(sprintf("%.1f", $3)) with labels offset 0,0.7 notitle
