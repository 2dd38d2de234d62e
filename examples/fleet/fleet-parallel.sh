#!/usr/bin/env bash
# fleet-parallel.sh: one vncbot per console of a targets file, run by GNU parallel with at
# most FLEET_JOBS (default 10) at once, each writing its --result to RESULTS/NAME.json;
# then the summary of fleet-summary.sh. Exit 0 when every console succeeded, else 1.
#
# usage: fleet-parallel.sh TARGETS SCRIPT RESULTS [VNCBOT OPTION...]
#   TARGETS  lines "NAME ADDRESS" (examples/fleet/targets.txt); RESULTS a new directory.
#   VNCBOT OPTION...  given to every vncbot: passwords by name only, from the environment
#   or a file (--password-env VAR, --secret NAME=env:VAR), never on the command line.
# FLEET_TIMEOUT (default 3600) seconds ends a console's run (SIGTERM; its result says so).
# FLEET_RECORD=1 keeps each console's evidence (--record) in RESULTS/NAME/.
# Debian packages: parallel jq.
set -euo pipefail

if (($# < 3)); then
    echo "usage: fleet-parallel.sh TARGETS SCRIPT RESULTS [VNCBOT OPTION...]" >&2
    exit 2
fi
targets=$1 script=$2 results=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p -- "$results"
if compgen -G "$results/*.json" > /dev/null; then
    echo "fleet-parallel.sh: $results holds results of an earlier run; give a new directory" >&2
    exit 2
fi

# The consoles, checked: NAME<TAB>ADDRESS, one a line, in $results/targets.tsv.
awk '
    /^[[:space:]]*(#|$)/ { next }
    NF != 2 || $1 !~ /^[A-Za-z0-9._-]+$/ || seen[$1]++ {
        printf "%s:%d: expected NAME ADDRESS with a new NAME of letters, digits, . _ -\n",
            FILENAME, FNR > "/dev/stderr"
        bad = 1
    }
    { print $1 "\t" $2 }
    END { exit bad }
' "$targets" > "$results/targets.tsv" || exit 2

record=()
if [[ ${FLEET_RECORD:-0} == 1 ]]; then
    record=(--record "$results/{1}")
fi

# Each line: vncbot -c ADDRESS -D CONSOLE=NAME --result RESULTS/NAME.json OPTIONS run SCRIPT.
# Its exit status is in its result too: parallel's own status only counts the failures.
parallel --jobs "${FLEET_JOBS:-10}" --colsep '\t' --timeout "${FLEET_TIMEOUT:-3600}" \
    --tagstring '{1}:' --joblog "$results/joblog" --quote \
    vncbot -q -c '{2}' -D 'CONSOLE={1}' --result "$results/{1}.json" "${record[@]}" "$@" \
    run "$script" :::: "$results/targets.tsv" || true

"$here/fleet-summary.sh" "$results" "$results/targets.tsv"
