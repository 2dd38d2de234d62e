#!/usr/bin/env bash
# fleet-summary.sh: what a fleet run did, from its --result files RESULTS/NAME.json: a line
# for each console that did not succeed (or, given the names expected, left no result),
# then one summary line. Exit 0 when there were consoles and every one succeeded, else 1.
#
# usage: fleet-summary.sh RESULTS [NAMES]
#   NAMES  a file whose lines start with the consoles' names, such as a targets file (lines
#          starting with # are skipped); without it, the consoles are the result files found.
# Debian package: jq.
set -euo pipefail

if (($# < 1 || $# > 2)); then
    echo "usage: fleet-summary.sh RESULTS [NAMES]" >&2
    exit 2
fi
shopt -s nullglob
files=("$1"/*.json)

jq -n -r --rawfile names "${2:-/dev/null}" '
    def count(v): [.[] | select(.verdict == v)] | length;
    def text: if type == "object" then .message // tostring
              elif . == null then "" else tostring end;
    [inputs | .name = (input_filename | sub(".*/"; "") | sub("\\.json$"; ""))] as $results
    | [$names | splits("\n") | sub("^[\t ]+"; "") | select(length > 0 and (startswith("#") | not))
       | sub("[\t ].*"; "")] as $listed
    | ($listed - [$results[].name]) as $missing
    | ([$results[].name] + $missing | unique | length) as $consoles
    | [$results[] | select(.verdict != "succeeded")] as $others
    | ($others[] | "\(.name): \(.verdict), \(.class), exit \(.exit): \(.error | text)"),
      ($missing[] | "\(.): no result"),
      "fleet: \($results | count("succeeded")) of \($consoles) consoles succeeded, "
        + "\($results | count("failed")) failed, \($results | count("error")) error, "
        + "\($missing | length) without a result"
        + ([$others[].class] | group_by(.) | map("\(.[0]) \(length)")
           | if length > 0 then " (" + join(", ") + ")" else "" end),
      if $consoles == 0 or ($others | length) + ($missing | length) > 0 then "" | halt_error(1) else empty end
' "${files[@]:-/dev/null}"
