#!/usr/bin/env bash
# The user-facing load scripts work: scripts/load_parallel.sh,
# scripts/load_sequential.sh and scripts/load_denormalized.sh load the sample
# files data/sample-* (zip, gzip, plain; given as relative paths) into fresh
# databases, and the nine answers (scripts/nine_answers.sql) then equal those
# of the oracle test/oracle/nine_answers.py, row for row (EXCEPT ALL both
# ways), for every layout and mode:
#   load_parallel.sh and load_sequential.sh: denormalized / denormalized,
#     normalized / normalized (row mode), normalized / batch,
#     normalized_batch / batch;
#   load_denormalized.sh, once per file: denormalized;
#   load_parallel.sh -j 3 on the same tweets as one tar: three parts.
# Each script must exit 0 and report the right number of tweets.
#
# Failures, with a file of bad JSON ({"id": "x"}) and a missing file among
# good ones. What the scripts guarantee, and what is checked:
#   load_parallel.sh  loads every file in a transaction of its own, whatever
#     the others do (a session goes on after a failed file): it exits
#     non-zero, names each failed file
#     (and only those) on stderr and as "failed" on stdout, counts only the
#     good files in its total, and every good file is loaded completely
#     (the nine answers equal the oracle's on the good files alone), nothing
#     of the failed ones (a load is atomic).
#   load_sequential.sh  stops at the first failed file: it exits non-zero
#     naming it; the files before it stay loaded, those after it are not
#     loaded.
#   load_denormalized.sh  exits non-zero on a bad file, loading nothing.
#
# Needs a server reachable through PGHOST/PGPORT/PGUSER (a superuser, as
# scripts/test.sh provides) with tweet_loader installed, and a
# repository readable by the server's user (scripts/test.sh sees to that).
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)

. test/check.sh
scratch load_scripts
export TMPDIR=$tmp   # load_parallel.sh keeps its results there
dbprefix=tl_scripts_$$

psql_db() {  # psql_db DB ARGS...
    local db=$1
    shift
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"
}

psql_db postgres -c 'SELECT 1' >/dev/null || { echo "no server (PGHOST/PGPORT)"; exit 1; }

samples=(data/sample-*)
[ "${#samples[@]}" -eq 3 ] && [ -e "${samples[0]}" ] ||
    { echo "expected three files data/sample-*"; exit 1; }

# The oracle's answers: for all sample files, for the first one alone (what
# load_sequential.sh leaves before a bad file), and for the first and last
# (the good files of the failure test).
oracle() {  # oracle NAME FILE...
    local name=$1
    shift
    python3 test/oracle/nine_answers.py --out "$tmp/oracle/$name" "$@" >/dev/null ||
        { echo "the oracle failed on $*"; exit 1; }
}
oracle all "${samples[@]}"
oracle first "${samples[0]}"
oracle first_last "${samples[0]}" "${samples[2]}"
chmod -R a+rX "$tmp"
sample_tweets=$(cat "$tmp/oracle/all/q1.csv")
echo "oracle: $sample_tweets distinct tweets in ${samples[*]}"

# Compares the nine answers of a database with the oracle's. Prints one line
# per query: query|oracle rows|answer rows|rows that differ either way.
cat >"$tmp/compare.sql" <<'SQL'
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TEMP TABLE oracle_q1 (n bigint);
CREATE TEMP TABLE oracle_q2 (n bigint);
CREATE TEMP TABLE oracle_q3 (n bigint);
CREATE TEMP TABLE oracle_q4 (n bigint);
CREATE TEMP TABLE oracle_q5 (tag text, count bigint);
CREATE TEMP TABLE oracle_q6 (tag text, total bigint);
CREATE TEMP TABLE oracle_q7 (country_code text, count bigint);
CREATE TEMP TABLE oracle_q8 (id bigint, length integer);
CREATE TEMP TABLE oracle_q9 (day timestamp, count bigint);
SELECT format('COPY oracle_q%s FROM %L (FORMAT csv)', n, :'oracle' || '/q' || n || '.csv')
FROM generate_series(1, 9) n \gexec
\i scripts/nine_answers.sql
-- Each answer computed once (over the denormalized views they are slow).
SELECT format('CREATE TEMP TABLE got_q%1$s AS SELECT * FROM answer_%1$s', n)
FROM generate_series(1, 9) n \gexec
SELECT format($$SELECT %1$s,
    (SELECT count(*) FROM oracle_q%1$s),
    (SELECT count(*) FROM got_q%1$s),
    (SELECT count(*) FROM ((SELECT * FROM got_q%1$s EXCEPT ALL SELECT * FROM oracle_q%1$s)
                           UNION ALL
                           (SELECT * FROM oracle_q%1$s EXCEPT ALL SELECT * FROM got_q%1$s)) d)$$, n)
FROM generate_series(1, 9) n \gexec
SQL

# check_answers DB ORACLE TAG: every answer equals the oracle's.
check_answers() {
    local out
    if ! out=$(psql -X -q -At -F '|' -v ON_ERROR_STOP=1 -d "$1" -v oracle="$tmp/oracle/$2" \
            -f "$tmp/compare.sql" 2>&1); then
        fail "$3: the nine answers could not be computed:"
        sed 's/^/    /' <<<"$out"
        return 1
    fi
    if [ "$(wc -l <<<"$out")" -ne 9 ] ||
       ! awk -F'|' '$4 != 0 || $2 != $3 { bad = 1 } END { exit bad }' <<<"$out"; then
        fail "$3: answers differ from the oracle (query|oracle rows|answer rows|differing rows):"
        sed 's/^/    /' <<<"$out"
        return 1
    fi
    pass "$3: the nine answers equal the oracle's ($(awk -F'|' '{ s = s (NR > 1 ? ", " : "") "q" $1 " " $2 } END { print s }' <<<"$out") rows)"
}

# One template database per layout: fresh databases are copies of it.
for layout in denormalized normalized normalized_batch; do
    db=${dbprefix}_tmpl_$layout
    scratch_dbs+=("$db")
    createdb "$db" &&
        psql_db "$db" -c "SET client_min_messages = warning" \
            -c "CREATE EXTENSION tweet_loader CASCADE" \
            -c "SELECT create_tweet_tables('$layout')" >/dev/null ||
        { echo "cannot create the $layout template"; exit 1; }
done

# A fresh database with one layout; its name goes to $db.
new_db() {  # new_db LAYOUT NAME
    db=${dbprefix}_$2
    scratch_dbs+=("$db")
    createdb -T "${dbprefix}_tmpl_$1" "$db" ||
        { fail "cannot create the database $db"; return 1; }
}

# Drops a database in the background: the checkpoint DROP DATABASE waits
# for overlaps the next load.
drop_db() {
    dropdb --if-exists "$1" &
}

# The total that load_parallel.sh / load_sequential.sh print.
total_of() {
    awk -F'\t' '$1 == "total" { print $2 + 0 }' "$1"
}

# Every combination of layout and mode, with both scripts.
combos=(denormalized:denormalized normalized:normalized normalized:batch normalized_batch:batch)
for script in load_parallel load_sequential; do
    for combo in "${combos[@]}"; do
        layout=${combo%%:*}
        mode=${combo#*:}
        tag="$script.sh $mode into $layout"
        new_db "$layout" "${script}_${layout}_$mode" || continue
        start=$EPOCHREALTIME
        PGDATABASE=$db "scripts/$script.sh" "$mode" "${samples[@]}" \
            >"$tmp/out" 2>"$tmp/err"
        status=$?
        secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
        expected=$((3 * 300))  # tweet lines, duplicates included
        if [ "$status" -ne 0 ]; then
            fail "$tag: exit status $status"
            sed 's/^/    /' "$tmp/out" "$tmp/err"
        elif [ "$(total_of "$tmp/out")" != "$expected" ]; then
            fail "$tag: total $(total_of "$tmp/out") tweets, expected $expected"
            sed 's/^/    /' "$tmp/out"
        else
            pass "$tag: exit 0, $expected tweets in ${secs}s"
            check_answers "$db" all "$tag"
        fi
        drop_db "$db"
    done
done

# load_denormalized.sh, one file at a time, as its users run it.
tag="load_denormalized.sh, once per file"
if new_db denormalized load_denormalized; then
    ok=1
    for f in data/sample-*; do
        if ! PGDATABASE=$db sh scripts/load_denormalized.sh $f >"$tmp/out" 2>"$tmp/err"; then
            fail "$tag: exit status non-zero for $f"
            sed 's/^/    /' "$tmp/err"
            ok=0
        elif ! grep -Eq '^ +300 \|' "$tmp/out"; then
            fail "$tag: $f did not report 300 tweets"
            sed 's/^/    /' "$tmp/out"
            ok=0
        fi
    done
    if [ "$ok" = 1 ]; then
        pass "$tag: exit 0 and 300 tweets for each file"
        check_answers "$db" all "$tag"
    fi
    drop_db "$db"
fi

# load_parallel.sh splits an archive among its sessions: the three sample
# files as one tar of 30 members (bzip2, gzip, xz, zstd, plain), loaded by
# -j 3 in three parts, give the oracle's answers.
tag="load_parallel.sh -j 3 on one tar"
for combo in normalized:batch denormalized:denormalized; do
    layout=${combo%%:*}
    mode=${combo#*:}
    new_db "$layout" "parallel_tar_$layout" || continue
    for f in "${samples[@]}"; do
        case $f in
            *.zip) unzip -p "$f" ;;
            *.gz) gzip -dc "$f" ;;
            *) cat "$f" ;;
        esac
    done >"$tmp/all.jsonl"
    python3 bench/make_stream_grab.py --out "$tmp/samples.tar" --minutes 30 \
        --compress mixed "$tmp/all.jsonl" >/dev/null
    chmod 644 "$tmp/samples.tar"
    PGDATABASE=$db scripts/load_parallel.sh -j 3 "$mode" "$tmp/samples.tar" \
        >"$tmp/out" 2>"$tmp/err"
    status=$?
    parts=$(grep -c "samples.tar (part [123]/3)	[0-9]* tweets" "$tmp/out")
    if [ "$status" -eq 0 ] && [ "$parts" = 3 ] && [ "$(total_of "$tmp/out")" = 900 ]; then
        pass "$tag ($mode): 3 parts, 900 tweets"
        check_answers "$db" all "$tag ($mode)"
    else
        fail "$tag ($mode): exit $status, $parts part lines, total $(total_of "$tmp/out")"
        sed 's/^/    /' "$tmp/out" "$tmp/err"
    fi
    drop_db "$db"
done

# ------------------------------------------------------------------ failures

bad=$tmp/bad.jsonl
missing=$tmp/missing.jsonl
printf '%s\n' '{"id": "x"}' >"$bad"
chmod 644 "$bad"
good1=${samples[0]}
good2=${samples[2]}

# load_parallel.sh with a bad and a missing file between two good ones.
tag="load_parallel.sh with a bad and a missing file"
for combo in normalized:batch denormalized:denormalized; do
    layout=${combo%%:*}
    mode=${combo#*:}
    new_db "$layout" "parallel_bad_$layout" || continue
    PGDATABASE=$db scripts/load_parallel.sh "$mode" "$good1" "$bad" "$missing" "$good2" \
        >"$tmp/out" 2>"$tmp/err"
    status=$?
    # The file list after the "N of M loads failed:" line of stderr.
    named=$(sed -n '/loads failed:$/,$p' "$tmp/err" | sed -n 's/^  //p' | sort)
    problems=()
    [ "$status" -ne 0 ] || problems+=("exit status 0")
    [ "$named" = "$(printf '%s\n' "$bad" "$missing" | sort)" ] ||
        problems+=("stderr names [$(echo $named)], not the bad and the missing file")
    grep -q "could not open file \"$missing\"" "$tmp/err" ||
        problems+=("no error message for the missing file")
    grep -q "invalid tweet at line" "$tmp/err" &&
        grep -q "load_tweets file \"$bad\", line" "$tmp/err" ||
        problems+=("no error message for the bad file")
    for f in "$bad" "$missing"; do
        grep -q "^$f	failed" "$tmp/out" || problems+=("stdout does not show $f as failed")
    done
    for f in "$good1" "$good2"; do
        grep -q "^$f	300 tweets" "$tmp/out" || problems+=("stdout does not show 300 tweets for $f")
    done
    [ "$(total_of "$tmp/out")" = 600 ] || problems+=("total $(total_of "$tmp/out"), not 600")
    if [ "${#problems[@]}" -gt 0 ]; then
        fail "$tag ($mode): $(printf '%s; ' "${problems[@]}")"
        sed 's/^/    /' "$tmp/out" "$tmp/err"
    else
        pass "$tag ($mode): exit $status, both named, the good files loaded"
        check_answers "$db" first_last "$tag ($mode), the good files"
    fi
    drop_db "$db"
done

# load_sequential.sh stops at the bad file.
tag="load_sequential.sh with a bad file"
if new_db normalized sequential_bad; then
    PGDATABASE=$db scripts/load_sequential.sh normalized "$good1" "$bad" "$good2" \
        >"$tmp/out" 2>"$tmp/err"
    status=$?
    problems=()
    [ "$status" -ne 0 ] || problems+=("exit status 0")
    grep -q "^$bad: load failed" "$tmp/err" || problems+=("stderr does not name $bad")
    grep -q "^$good2" "$tmp/out" && problems+=("went on after the bad file")
    if [ "${#problems[@]}" -gt 0 ]; then
        fail "$tag: $(printf '%s; ' "${problems[@]}")"
        sed 's/^/    /' "$tmp/out" "$tmp/err"
    else
        pass "$tag: exit $status, named, stopped there"
        check_answers "$db" first "$tag, the file before it"
    fi
    drop_db "$db"
fi

# load_denormalized.sh on a bad file.
tag="load_denormalized.sh with a bad file"
if new_db denormalized denormalized_bad; then
    if PGDATABASE=$db sh scripts/load_denormalized.sh "$bad" >"$tmp/out" 2>"$tmp/err"; then
        fail "$tag: exit status 0"
    elif ! grep -q "load_tweets file \"$bad\", line" "$tmp/err"; then
        fail "$tag: no error naming the file"
        sed 's/^/    /' "$tmp/err"
    elif [ "$(psql_db "$db" -c 'SELECT count(*) FROM tweets_jsonb')" != 0 ]; then
        fail "$tag: rows remain"
    else
        pass "$tag: non-zero exit, the file named, nothing loaded"
    fi
    drop_db "$db"
fi

echo
if [ "$failures" -gt 0 ]; then
    echo "load_scripts: $failures failure(s)"
    exit 1
fi
echo "load_scripts: every script loads the samples with the oracle's answers and reports failures"
