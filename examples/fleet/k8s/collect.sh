#!/bin/sh
# examples/fleet/k8s/collect.sh: once the Job of fleet-job.yaml has ended (it waits for
# that), each console's --result from its pod's log (what follows "--- vncbot result NAME")
# to RESULTS/NAME.json, and the Job's targets.txt to RESULTS/targets.txt, for
# fleet-summary.sh RESULTS RESULTS/targets.txt.
#
# usage: collect.sh RESULTS [JOB]   (JOB and its ConfigMap: vncbot-fleet by default)
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: collect.sh RESULTS [JOB]" >&2
    exit 2
fi
results=$1 job=${2:-vncbot-fleet}
mkdir -p -- "$results"

# The Job ends Complete, or Failed (a console failed, or activeDeadlineSeconds passed).
until kubectl get job "$job" -o jsonpath='{.status.conditions[*].type}' | grep -Eqw 'Complete|Failed'; do
    sleep 10
done
kubectl get configmap "$job" -o jsonpath='{.data.targets\.txt}' > "$results/targets.txt"
for pod in $(kubectl get pods -l "job-name=$job" -o name); do
    kubectl logs "$pod" | awk -v dir="$results" '
        /^--- vncbot result [A-Za-z0-9._-]+$/ { file = dir "/" $4 ".json"; next }
        file != "" { print > file }
    '
done
