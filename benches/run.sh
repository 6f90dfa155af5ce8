#!/usr/bin/env bash
# Whole-process benchmarks of pitchlint, and of other prose linters on the same text.
#
#   benches/run.sh                      # full run (pitchlint about 2 min; all peers about 20 min)
#   benches/run.sh --quick              # fewer runs, a rough figure in a few minutes
#   benches/run.sh --no-peers           # pitchlint only
#   benches/run.sh --cold               # also 10 MiB after a pause before each run (see below)
#   benches/run.sh --install-peers      # first install write-good and alex (npm) and proselint
#                                       # (pip, in a venv) under target/peers, then run
#
# Builds the release binary and the corpus (examples/bench_corpus.rs: target/bench-corpus), then
# times three shapes with hyperfine, exporting JSON into target/bench-results/:
#
#   pitch   one 120-word pitch           pitchlint check --isolated --exit-zero pitch.txt
#   large   10 MiB of prose              pitchlint check --isolated --exit-zero --format concise prose-10mb.txt
#   typed   the same, as typed           pitchlint check --isolated --exit-zero --format concise typed-10mb.txt
#           (curly quotes, dashes and ellipses, accented names, emoji; pitchlint alone)
#   class   10,000 files of 60-250 words pitchlint grade --isolated --format csv class
#   cold    with --cold: the large shape again, after COLD_PAUSE seconds (default 3) of idling
#           before each run. On virtual machines whose balloon driver reports free memory to the
#           host, huge pages left free that long go back to it and cost much more to fault in
#           again: this is a single check of a large file, where `large` is one of many in a row.
#
# then the same shapes for each peer that is installed (in target/peers, or else on PATH). A peer
# that takes more than PEER_LARGE_LIMIT seconds (default 120) on 10 MiB is timed on the 1 MiB
# file instead; its MB/s and ratio are then per MB. Peers exit
# non-zero when they find something, so their runs ignore the exit code; each is first run once
# by hand and must print something and not fail to start. The summary table shows medians, then
# each of the performance targets with the figure it is judged by and whether it is met (the pitch
# in 5 ms, 10 MB at 100 MB/s, the class in 1 s, and, when peers ran, pitchlint at least 20 times
# faster than each on every shape; the jq fallback prints the table alone).
#
# proselint stops after 1,000 findings a file by default (`max_errors`), which on the large file
# would skip most of it; it runs here with a config that lifts the cap, so that every tool reads
# all of its input.
#
# Environment: PEER_LARGE_LIMIT (seconds, see above); COLD_PAUSE (seconds, see above); BENCH_PEERS (default
# "write-good alex proselint": which peers to time); CARGO (default cargo); BENCH_REPORTER=jq
# (make the summary with jq even when python3 is there).

set -euo pipefail

usage() {
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
}

QUICK=0
PEERS=1
INSTALL_PEERS=0
COLD=0
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        --no-peers) PEERS=0 ;;
        --cold) COLD=1 ;;
        --install-peers) INSTALL_PEERS=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "run.sh: unknown option '$arg'" >&2
            usage >&2
            exit 2
            ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CARGO=${CARGO:-cargo}
CORPUS=$ROOT/target/bench-corpus
RESULTS=$ROOT/target/bench-results
PEERS_DIR=$ROOT/target/peers
BIN=$ROOT/target/release/pitchlint
PEER_LARGE_LIMIT=${PEER_LARGE_LIMIT:-120}
COLD_PAUSE=${COLD_PAUSE:-3}
if ! [[ $COLD_PAUSE =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "run.sh: COLD_PAUSE must be a number of seconds, not '$COLD_PAUSE'" >&2
    exit 2
fi

if ! command -v hyperfine > /dev/null 2>&1; then
    echo "run.sh: hyperfine is not installed (apt-get install hyperfine, or cargo install hyperfine)" >&2
    exit 2
fi
if [[ ${BENCH_REPORTER:-} == jq ]] && command -v jq > /dev/null 2>&1; then
    REPORTER=jq
elif command -v python3 > /dev/null 2>&1; then
    REPORTER=python3
elif command -v jq > /dev/null 2>&1; then
    REPORTER=jq
else
    echo "run.sh: the summary needs python3 or jq, and neither is installed" >&2
    exit 2
fi

# Runs and warm-ups: short shapes (about 50 ms or less a run) get many; long ones few. A peer's
# long shapes get no warm-up run, because its check run (below) already warmed the file cache.
if ((QUICK)); then
    SHORT=(--warmup 3 --runs 10)
    LONG=(--warmup 1 --runs 3)
    PEER_SHORT=(--warmup 1 --runs 5)
    PEER_LONG=(--runs 1)
else
    SHORT=(--warmup 10 --runs 100)
    LONG=(--warmup 1 --runs 10)
    PEER_SHORT=(--warmup 2 --runs 20)
    PEER_LONG=(--runs 3)
fi

# ---------------------------------------------------------------------------------------------
# Peers: install on request, then find.

install_peers() {
    mkdir -p "$PEERS_DIR"
    if command -v npm > /dev/null 2>&1; then
        echo "== installing write-good and alex into $PEERS_DIR/node_modules"
        npm install --prefix "$PEERS_DIR" --no-audit --no-fund --loglevel=error write-good alex
    else
        echo "run.sh: npm is not installed; skipping write-good and alex" >&2
    fi
    echo "== installing proselint into $PEERS_DIR/venv"
    if [[ ! -x $PEERS_DIR/venv/bin/pip ]]; then
        python3 -m venv "$PEERS_DIR/venv"
    fi
    "$PEERS_DIR/venv/bin/pip" install --quiet --disable-pip-version-check proselint
}

# The path of peer tool $1: target/peers first, then PATH; empty if neither has it.
find_peer() {
    local name=$1
    for candidate in "$PEERS_DIR/node_modules/.bin/$name" "$PEERS_DIR/venv/bin/$name"; do
        if [[ -x $candidate ]]; then
            echo "$candidate"
            return
        fi
    done
    command -v "$name" 2> /dev/null || true
}

if ((PEERS && INSTALL_PEERS)); then
    install_peers
fi

# ---------------------------------------------------------------------------------------------
# Build and corpus.

echo "== building the release binary and the corpus"
"$CARGO" build --release --quiet --bin pitchlint
"$CARGO" run --release --quiet --example bench_corpus -- "$CORPUS"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS/runs.tsv"

PITCH_BYTES=$(wc -c < "$CORPUS/pitch.txt")
MB1_BYTES=$(wc -c < "$CORPUS/prose-1mb.txt")
MB10_BYTES=$(wc -c < "$CORPUS/prose-10mb.txt")
TYPED_BYTES=$(wc -c < "$CORPUS/typed-10mb.txt")
CLASS_BYTES=$(find "$CORPUS/class" -name '*.txt' -type f -print0 | xargs -0 cat | wc -c)
CLASS_FILES=$(find "$CORPUS/class" -name '*.txt' -type f | wc -l)

# ---------------------------------------------------------------------------------------------
# The machine.

{
    echo "machine:   $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "pitchlint: $("$BIN" --version)"
    echo "rustc:     $(rustc --version)"
    echo "hyperfine: $(hyperfine --version)"
    echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the runs"
    echo "corpus:    pitch.txt $PITCH_BYTES B; prose-1mb.txt $MB1_BYTES B; prose-10mb.txt $MB10_BYTES B;" \
        "typed-10mb.txt $TYPED_BYTES B;" \
        "class/ $CLASS_FILES files, $CLASS_BYTES B"
    echo "mode:      $( ((QUICK)) && echo quick || echo full)"
} | tee "$RESULTS/machine.txt"

# ---------------------------------------------------------------------------------------------
# Timing.

cd "$CORPUS"

# exit_codes_ok JSON: true unless a run in the hyperfine export could not start or was killed.
exit_codes_ok() {
    if [[ $REPORTER == python3 ]]; then
        python3 -c 'import json, sys
codes = json.load(open(sys.argv[1]))["results"][0]["exit_codes"]
sys.exit(any(c is None or c in (126, 127) or c > 128 for c in codes))' "$1"
    else
        jq -e '[.results[0].exit_codes[] | select(. == null or . == 126 or . == 127 or . > 128)] | length == 0' \
            "$1" > /dev/null
    fi
}

# bench SHAPE TOOL BYTES NOTE HYPERFINE-OPTIONS... -- COMMAND
# Times COMMAND (run from the corpus directory) and records the export for the summary.
bench() {
    local shape=$1 tool=$2 bytes=$3 note=$4
    shift 4
    local opts=()
    while [[ $1 != -- ]]; do
        opts+=("$1")
        shift
    done
    shift
    local json=$RESULTS/$shape-$tool.json
    echo
    echo "== $shape / $tool${note:+ ($note)}"
    hyperfine --style basic "${opts[@]}" --export-json "$json" --command-name "$tool $shape" "$1"
    # Peers' runs ignore exit codes (they exit non-zero on findings); drop a run that could not
    # start (126, 127) or was killed by a signal (above 128; hyperfine records those as null).
    if ! exit_codes_ok "$json"; then
        echo "run.sh: $tool $shape: a run failed to start or was killed; left out of the summary" >&2
        return 0
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$shape" "$tool" "$bytes" "$json" "$note" >> "$RESULTS/runs.tsv"
}

bench pitch pitchlint "$PITCH_BYTES" "" -N "${SHORT[@]}" -- \
    "'$BIN' check --isolated --exit-zero pitch.txt"
bench large pitchlint "$MB10_BYTES" "10 MiB" "${LONG[@]}" -- \
    "'$BIN' check --isolated --exit-zero --format concise prose-10mb.txt"
bench typed pitchlint "$TYPED_BYTES" "10 MiB as typed" "${LONG[@]}" -- \
    "'$BIN' check --isolated --exit-zero --format concise typed-10mb.txt"
bench class pitchlint "$CLASS_BYTES" "$CLASS_FILES files" "${LONG[@]}" -- \
    "'$BIN' grade --isolated --format csv class"
if ((COLD)); then
    # No warm-up: every run is meant to start after a pause (the pause itself is not timed).
    bench cold pitchlint "$MB10_BYTES" "10 MiB, ${COLD_PAUSE} s pause before each run" \
        --prepare "sleep $COLD_PAUSE" --runs "$( ((QUICK)) && echo 3 || echo 10)" -- \
        "'$BIN' check --isolated --exit-zero --format concise prose-10mb.txt"
fi

# check_peer NAME COMMAND [LIMIT]: runs COMMAND once (for at most LIMIT seconds if given) and
# prints its time in seconds. Fails, saying why, if it could not start (126/127), was killed by a
# signal (>128) or printed nothing at all; fails quietly (status 2) if it ran out of time.
check_peer() {
    local name=$1 cmd=$2 limit=${3:-} out start end rc=0
    out=$(mktemp)
    start=$(date +%s.%N)
    if [[ -n $limit ]]; then
        timeout "$limit" sh -c "exec $cmd" > "$out" 2>&1 || rc=$?
    else
        sh -c "$cmd" > "$out" 2>&1 || rc=$?
    fi
    end=$(date +%s.%N)
    if [[ -n $limit ]] && ((rc == 124)); then
        rm -f "$out"
        return 2
    fi
    if ((rc == 126 || rc == 127 || rc > 128)) || [[ ! -s $out ]]; then
        echo "run.sh: $name failed to run ($cmd: exit $rc):" >&2
        head -n 5 "$out" >&2
        rm -f "$out"
        return 1
    fi
    rm -f "$out"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

# peer NAME PITCH-COMMAND FILE-COMMAND CLASS-COMMAND: FILE-COMMAND has {} for the prose file.
# The large shape is 10 MiB unless the peer takes more than PEER_LARGE_LIMIT seconds on it:
# tried on 1 MiB first (more than a tenth of the limit there rules 10 MiB out, as these tools
# are at best linear), then once on 10 MiB under the limit (several are worse than linear).
peer() {
    local name=$1 pitch_cmd=$2 file_cmd=$3 class_cmd=$4 secs secs10 rc large large_bytes note
    echo
    echo "== peer $name: checking that it runs, then its time on prose-1mb.txt and prose-10mb.txt"
    check_peer "$name" "$pitch_cmd" > /dev/null || return 0
    secs=$(check_peer "$name" "${file_cmd//\{\}/prose-1mb.txt}") || return 0
    echo "   ${secs}s on 1 MiB"
    large=prose-1mb.txt large_bytes=$MB1_BYTES
    note="1 MiB: over ${PEER_LARGE_LIMIT}s on 10 MiB; per-MB figures"
    if awk -v s="$secs" -v lim="$PEER_LARGE_LIMIT" 'BEGIN { exit !(s * 10 > lim) }'; then
        note="1 MiB: ${secs}s on 1 MiB projects past ${PEER_LARGE_LIMIT}s on 10 MiB; per-MB figures"
    else
        rc=0
        secs10=$(check_peer "$name" "${file_cmd//\{\}/prose-10mb.txt}" "$PEER_LARGE_LIMIT") || rc=$?
        if ((rc == 0)); then
            echo "   ${secs10}s on 10 MiB"
            large=prose-10mb.txt large_bytes=$MB10_BYTES note="10 MiB"
        elif ((rc == 2)); then
            echo "   more than ${PEER_LARGE_LIMIT}s on 10 MiB"
        else
            return 0
        fi
    fi
    echo "   the large shape uses $large"
    bench pitch "$name" "$PITCH_BYTES" "" -i "${PEER_SHORT[@]}" -- "$pitch_cmd"
    bench large "$name" "$large_bytes" "$note" -i "${PEER_LONG[@]}" -- "${file_cmd//\{\}/$large}"
    bench class "$name" "$CLASS_BYTES" "$CLASS_FILES files" -i "${PEER_LONG[@]}" -- "$class_cmd"
}

if ((PEERS)); then
    WRITE_GOOD=$(find_peer write-good)
    ALEX=$(find_peer alex)
    PROSELINT=$(find_peer proselint)
    WANTED=" ${BENCH_PEERS:-write-good alex proselint} "
    [[ $WANTED == *" write-good "* ]] || WRITE_GOOD=""
    [[ $WANTED == *" alex "* ]] || ALEX=""
    [[ $WANTED == *" proselint "* ]] || PROSELINT=""
    if [[ -z $WRITE_GOOD$ALEX$PROSELINT ]]; then
        echo
        echo "== no peers installed (benches/run.sh --install-peers installs them under target/peers)"
    fi
    # write-good takes files (not directories): the shell expands the class's 10,000 names into
    # one invocation (about 160 KB of arguments, well under ARG_MAX).
    if [[ -n $WRITE_GOOD ]]; then
        peer write-good "'$WRITE_GOOD' pitch.txt" "'$WRITE_GOOD' {}" "'$WRITE_GOOD' class/*.txt"
    else
        echo "== write-good not installed or not selected: skipped"
    fi
    # alex walks directories itself (every Markdown and text file under them).
    if [[ -n $ALEX ]]; then
        peer alex "'$ALEX' pitch.txt" "'$ALEX' {}" "'$ALEX' class"
    else
        echo "== alex not installed or not selected: skipped"
    fi
    # proselint 0.16: `proselint check [--config FILE] PATH...`, directories walked. Its default
    # cap of 1,000 findings a file is lifted (see the top of this file).
    if [[ -n $PROSELINT ]]; then
        echo '{"max_errors": 1000000000}' > "$RESULTS/proselint-config.json"
        PL="'$PROSELINT' check --config '$RESULTS/proselint-config.json'"
        peer proselint "$PL pitch.txt" "$PL {}" "$PL class"
    else
        echo "== proselint not installed or not selected: skipped"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Summary: medians from the JSON exports.

echo
echo "== summary (medians; MB = 10^6 bytes; ratio = how many times slower than pitchlint," \
    "per MB where the files differ)"
cat "$RESULTS/machine.txt"
echo

if [[ $REPORTER == python3 ]]; then
    python3 - "$RESULTS/runs.tsv" << 'PY' | tee "$RESULTS/summary.txt"
import json
import sys

rows = []
with open(sys.argv[1], encoding="utf-8") as tsv:
    for line in tsv:
        shape, tool, size, path, note = line.rstrip("\n").split("\t")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)["results"][0]
        rows.append((shape, tool, int(size), result["median"], len(result["times"]), note))

# Seconds per byte of pitchlint on each shape, for the ratios (the pitch: seconds per run).
base = {}
for shape, tool, size, median, _, _ in rows:
    if tool == "pitchlint":
        base[shape] = (size, median)

def fmt_time(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"

def slower_than_pitchlint(shape, size, median):
    # How many times longer than pitchlint on the shape (per byte where the files differ).
    if shape not in base:
        return None
    bsize, bmedian = base[shape]
    return median / bmedian if shape == "pitch" else (median / size) / (bmedian / bsize)

header = ("shape", "tool", "input", "runs", "median", "MB/s", "ratio", "note")
table = []
for shape, tool, size, median, runs, note in rows:
    mbps = size / median / 1e6 if shape != "pitch" else None
    slower = slower_than_pitchlint(shape, size, median)
    ratio = f"{slower:.1f}x" if slower is not None else ""
    table.append((shape, tool, f"{size / 1e6:.2f} MB" if size >= 100_000 else f"{size} B", str(runs),
                  fmt_time(median), f"{mbps:.2f}" if mbps is not None else "-", ratio, note))
widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
for r in [header, tuple("-" * w for w in widths), *table]:
    print("  ".join(c.ljust(w) if i in (0, 1, 7) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())

# The targets, each judged by the figure above that measures it.
def verdict(ok):
    return "met" if ok else "NOT MET"

targets = []
if "pitch" in base:
    median = base["pitch"][1]
    stretch = "; stretch 3 ms " + verdict(median <= 0.003)
    targets.append(("one pitch in at most 5 ms", fmt_time(median), verdict(median <= 0.005) + stretch))
if "large" in base:
    size, median = base["large"]
    mbps = size / median / 1e6
    stretch = "; stretch 200 MB/s " + verdict(mbps >= 200)
    targets.append(("10 MB of prose at 100 MB/s or more", f"{mbps:.1f} MB/s", verdict(mbps >= 100) + stretch))
if "class" in base:
    median = base["class"][1]
    targets.append(("grade over the 10,000 files in at most 1 s", fmt_time(median), verdict(median <= 1.0)))
peer_ratios = [slower_than_pitchlint(shape, size, median) for shape, tool, size, median, _, _ in rows
               if tool != "pitchlint" and shape in base]
if peer_ratios:
    smallest = min(peer_ratios)
    targets.append(("20 times faster than each peer, every shape", f"{smallest:.1f}x smallest", verdict(smallest >= 20)))
if targets:
    print()
    print("targets:")
    width = max(len(t[0]) for t in targets)
    figure = max(len(t[1]) for t in targets)
    for name, value, judged in targets:
        print(f"  {name.ljust(width)}  {value.rjust(figure)}  {judged}")
PY
else
    # jq fallback: the same columns, less tidy.
    printf '%-6s %-11s %12s %10s %8s %s\n' shape tool median "MB/s" ratio note | tee "$RESULTS/summary.txt"
    declare -A BASE_PER_BYTE BASE_MEDIAN
    while IFS=$'\t' read -r shape tool size path note; do
        median=$(jq '.results[0].median' "$path")
        if [[ $tool == pitchlint ]]; then
            BASE_MEDIAN[$shape]=$median
            BASE_PER_BYTE[$shape]=$(jq -n "$median / $size")
        fi
        if [[ $shape == pitch ]]; then
            mbps=- ratio=$(jq -n "$median / ${BASE_MEDIAN[$shape]:-$median} * 10 | round / 10")
        else
            mbps=$(jq -n "$size / $median / 1e4 | round / 100")
            ratio=$(jq -n "$median / $size / ${BASE_PER_BYTE[$shape]:-1} * 10 | round / 10")
        fi
        printf '%-6s %-11s %10.4fs %10s %7sx %s\n' "$shape" "$tool" "$median" "$mbps" "$ratio" "$note"
    done < "$RESULTS/runs.tsv" | tee -a "$RESULTS/summary.txt"
fi
echo
echo "JSON exports, machine.txt and summary.txt are in $RESULTS"
