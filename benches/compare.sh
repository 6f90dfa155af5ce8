#!/usr/bin/env bash
# Compares two pitchlint binaries on one benchmark shape, run in turns, and says whether their
# output is the same.
#
#   benches/compare.sh OLD NEW                  # 10 MiB of prose, 30 rounds
#   benches/compare.sh --shape pitch OLD NEW    # pitch | medium (1 MiB) | large (10 MiB) | typed | class
#   benches/compare.sh --runs 60 OLD NEW
#
# OLD and NEW are paths to release binaries (copy target/release/pitchlint aside before a
# change, then build the change). Each round runs both, in alternating order, so that whatever
# the machine is doing weighs on both alike; the verdict is drawn from each round's difference
# (NEW minus OLD), not from the two medians: on a shared virtual machine the medians of separate
# series drift by 10-20% within an hour, and a median over 20 runs each can show a gain or loss
# of 10 ms that is not there. The middle half of the rounds' differences is printed; a change is
# called faster or slower only if that whole range lies on one side of zero, that is, if three
# rounds in four or more agree, and only from 20 rounds on: a change that does nothing is then
# called faster or slower about one time in 25 (20 rounds) or 200 (30).
#
# Wall time and CPU time (user + system, which counts both cores) are both shown: a change that
# saves work on one core while the other waits may save CPU and no wall time, and the other way.
# The corpus is generated first if it is missing (examples/bench_corpus.rs).

set -euo pipefail

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

RUNS=30
SHAPE=large
BINS=()
while (($#)); do
    case "$1" in
        --runs)
            RUNS=${2:?--runs needs a number}
            shift 2
            ;;
        --shape)
            SHAPE=${2:?--shape needs pitch, medium, large, typed or class}
            shift 2
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        -*)
            echo "compare.sh: unknown option '$1'" >&2
            usage >&2
            exit 2
            ;;
        *)
            BINS+=("$1")
            shift
            ;;
    esac
done
if ((${#BINS[@]} != 2)); then
    echo "compare.sh: give two binaries, OLD and NEW" >&2
    usage >&2
    exit 2
fi
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 4)); then
    echo "compare.sh: --runs must be a number of at least 4" >&2
    exit 2
fi
OLD=${BINS[0]}
NEW=${BINS[1]}
for bin in "$OLD" "$NEW"; do
    if ! [[ -x $bin ]]; then
        echo "compare.sh: '$bin' is not an executable file" >&2
        exit 2
    fi
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=$ROOT/target/bench-corpus
if ! [[ -f $CORPUS/prose-10mb.txt && -f $CORPUS/typed-10mb.txt && -d $CORPUS/class ]]; then
    (cd "$ROOT" && ${CARGO:-cargo} run --quiet --release --example bench_corpus)
fi
case "$SHAPE" in
    pitch) ARGS=(check --isolated --exit-zero "$CORPUS/pitch.txt") ;;
    medium) ARGS=(check --isolated --exit-zero --format concise "$CORPUS/prose-1mb.txt") ;;
    large) ARGS=(check --isolated --exit-zero --format concise "$CORPUS/prose-10mb.txt") ;;
    typed) ARGS=(check --isolated --exit-zero --format concise "$CORPUS/typed-10mb.txt") ;;
    class) ARGS=(grade --isolated --format csv "$CORPUS/class") ;;
    *)
        echo "compare.sh: unknown shape '$SHAPE' (pitch, medium, large, typed or class)" >&2
        exit 2
        ;;
esac

# The output first: a speed-up that changes what is reported is not one.
# A binary that fails is named, rather than ending the script without a word.
for bin in "$OLD" "$NEW"; do
    if ! "$bin" "${ARGS[@]}" >/dev/null 2>&1; then
        echo "compare.sh: '$bin' failed on the $SHAPE shape: ${ARGS[*]}" >&2
        exit 2
    fi
done
old_sum=$("$OLD" "${ARGS[@]}" 2>&1 | cksum)
new_sum=$("$NEW" "${ARGS[@]}" 2>&1 | cksum)
if [[ $old_sum == "$new_sum" ]]; then
    echo "output: identical"
else
    echo "output: DIFFERENT (cksum ${old_sum% *} against ${new_sum% *})"
fi

# One timed run: "wall cpu" in milliseconds.
timed() {
    local TIMEFORMAT='%3R %3U %3S' times
    times=$({ time "$@" >/dev/null 2>&1; } 2>&1)
    awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$times"
}

# The runs above warmed the page cache; now the rounds.
ROUNDS=$(mktemp)
trap 'rm -f "$ROUNDS"' EXIT
for ((round = 0; round < RUNS; round++)); do
    if ((round % 2 == 0)); then
        old=$(timed "$OLD" "${ARGS[@]}")
        new=$(timed "$NEW" "${ARGS[@]}")
    else
        new=$(timed "$NEW" "${ARGS[@]}")
        old=$(timed "$OLD" "${ARGS[@]}")
    fi
    echo "$old $new" >>"$ROUNDS"
done

# ROUNDS holds a line a round: old wall, old cpu, new wall, new cpu.
quantile() { # quantile FIELD FRACTION; FIELD 1-4 is a column, 5 and 6 new minus old wall and cpu
    awk -v field="$1" '{ print field == 5 ? $3 - $1 : field == 6 ? $4 - $2 : $field }' "$ROUNDS" |
        sort -g | awk -v q="$2" '
        { v[NR] = $1 }
        END { i = q * (NR - 1) + 1; lo = int(i); f = i - lo
              printf "%.1f", (lo < NR ? v[lo] * (1 - f) + v[lo + 1] * f : v[lo]) }'
}
verdict() { # verdict LOW HIGH
    if ((RUNS < 20)); then
        echo "too few rounds to judge (20 or more)"
        return
    fi
    awk -v lo="$1" -v hi="$2" 'BEGIN {
        if (hi < 0) print "faster"; else if (lo > 0) print "slower"; else print "within the noise" }'
}

echo "shape: $SHAPE, $RUNS rounds (medians in ms; difference: NEW - OLD, each round)"
printf '%-6s %10s %10s\n' "" wall cpu
printf '%-6s %10s %10s\n' old "$(quantile 1 0.5)" "$(quantile 2 0.5)"
printf '%-6s %10s %10s\n' new "$(quantile 3 0.5)" "$(quantile 4 0.5)"
for what in wall cpu; do
    if [[ $what == wall ]]; then field=5; else field=6; fi
    low=$(quantile "$field" 0.25)
    mid=$(quantile "$field" 0.5)
    high=$(quantile "$field" 0.75)
    printf '%s difference: median %s ms, middle half %s to %s ms: %s\n' \
        "$what" "$mid" "$low" "$high" "$(verdict "$low" "$high")"
done
