# The Kubernetes recipe of docs/fleet.md, as far as it goes without a cluster (none runs
# here): examples/fleet/k8s/fleet-job.yaml is checked for what Kubernetes and the recipe
# need, then its pods are played on this machine and collect.sh gathers their results.
#
# The manifest (python3 and its yaml module):
# - a ConfigMap, a Secret and a batch/v1 Job; the Job is completionMode Indexed with
#   completions equal to the consoles of the ConfigMap's targets.txt, restartPolicy Never
#   (which backoffLimitPerIndex and podFailurePolicy require), bounded parallelism;
# - its command is a script of the ConfigMap, mounted; every environment variable that
#   script reads is set; the VNC password comes from the Secret by secretKeyRef and the
#   Windows password's file from a mounted item of the Secret, readable by the pod's
#   non-root user (fsGroup); the result goes to a writable emptyDir; no password in the
#   ConfigMap, the command or a plain env value.
# The pods: the ConfigMap and the Secret laid out as Kubernetes mounts them (files behind
# ..data symlinks), targets.txt pointing at 3 practice consoles whose VNC password is the
# Secret's; each index run as the container's command with the container's environment
# (the pod's / in a directory here), its log as `kubectl logs` shows it (stdout and
# stderr). Then collect.sh, with a stand-in kubectl that serves those logs, writes a
# result per console: each succeeded with its own console as target; each console was
# typed its own name; fleet-summary.sh counts 3 of 3; an index past the last console
# fails with exit 2 and says so.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1
. "$VB_LIB_DIR/fleet-lib.sh" || exit 1

require_cmd python3 python3
python3 -c 'import yaml' 2> /dev/null || skip "python3 has no yaml module (Debian: apt-get install python3-yaml)"
require_cmd jq jq
manifest=$FLEET_EXAMPLES/k8s/fleet-job.yaml
[[ -r $manifest ]] || setup_fail "cannot read $manifest"

# ---------------------------------------------------------------------------------------
# 1. The manifest's structure. With POD_ROOT set, also lay the pod's files out under it,
#    with targets.txt replaced by TARGETS, and write the container's command and
#    environment (NUL-separated, absolute paths moved under POD_ROOT).

cat > "$TEST_TMP/manifest.py" << 'EOF'
import os, re, sys, yaml

path = sys.argv[1]
pod_root = sys.argv[2] if len(sys.argv) > 2 else None
targets_file = sys.argv[3] if len(sys.argv) > 3 else None
problems = []
def want(cond, what):
    if not cond:
        problems.append(what)
    return cond

docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
kinds = [d.get("kind") for d in docs]
if not want(sorted(kinds) == ["ConfigMap", "Job", "Secret"],
            "expected one ConfigMap, one Secret and one Job, found %s" % kinds):
    sys.exit("FAIL: " + "; ".join(problems))
cm, secret, job = (next(d for d in docs if d["kind"] == k) for k in ("ConfigMap", "Secret", "Job"))
want(cm.get("apiVersion") == "v1" and secret.get("apiVersion") == "v1", "ConfigMap and Secret are v1")
want(job.get("apiVersion") == "batch/v1", "the Job is batch/v1, not %r" % job.get("apiVersion"))
dns = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
for d in docs:
    want(bool(dns.match(d.get("metadata", {}).get("name", ""))), "%s has a DNS-1123 name" % d["kind"])
data = cm.get("data", {})
secret_data = dict(secret.get("stringData", {}))
want(len(secret_data) > 0, "the Secret holds the passwords in stringData")

spec = job["spec"]
targets = [l for l in data.get("targets.txt", "").splitlines() if l.strip() and not l.strip().startswith("#")]
want(len(targets) > 0, "the ConfigMap's targets.txt lists consoles")
want(spec.get("completionMode") == "Indexed", "completionMode is Indexed, not %r" % spec.get("completionMode"))
want(spec.get("completions") == len(targets),
     "completions (%r) equals the %d consoles of targets.txt" % (spec.get("completions"), len(targets)))
want(isinstance(spec.get("parallelism"), int) and spec["parallelism"] >= 1, "parallelism bounds the pods at once")
pod = spec["template"]["spec"]
if "backoffLimitPerIndex" in spec or "podFailurePolicy" in spec:
    want(pod.get("restartPolicy") == "Never",
         "restartPolicy is Never, as backoffLimitPerIndex and podFailurePolicy require")
want(pod.get("restartPolicy") in ("Never", "OnFailure"), "a Job's restartPolicy is Never or OnFailure")
want(len(pod.get("containers", [])) == 1, "one container")
c = pod["containers"][0]
volumes = {v["name"]: v for v in pod.get("volumes", [])}
mounts = {m["mountPath"]: volumes.get(m["name"]) for m in c.get("volumeMounts", [])}
for m in c.get("volumeMounts", []):
    want(m["name"] in volumes, "volumeMount %s names a volume" % m["name"])

# The command: sh and a script of the ConfigMap, mounted.
cmd = c.get("command", []) + c.get("args", [])
script = cmd[1] if len(cmd) == 2 and cmd[0] == "sh" else None
want(script is not None, "the command is [sh, SCRIPT], not %r" % cmd)
script_text = ""
if script:
    vol = mounts.get(os.path.dirname(script))
    if want(vol is not None and vol.get("configMap", {}).get("name") == cm["metadata"]["name"],
            "%s is in a mount of the ConfigMap" % script):
        key = os.path.basename(script)
        want(key in data, "the ConfigMap has %s" % key)
        script_text = data.get(key, "")

# The environment: every variable the script reads is set; passwords only from the Secret.
env = {}
for e in c.get("env", []):
    ref = e.get("valueFrom", {}).get("secretKeyRef")
    if ref:
        want(ref.get("name") == secret["metadata"]["name"] and ref.get("key") in secret_data,
             "env %s comes from a key of the Secret" % e["name"])
        env[e["name"]] = secret_data.get(ref.get("key"), "")
    else:
        env[e["name"]] = e.get("value", "")
read = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", script_text))
for var in sorted(read - {"JOB_COMPLETION_INDEX"}):
    want(var in env, "the script reads $%s, which the container's env sets" % var)
want("JOB_COMPLETION_INDEX" in read, "the script picks its console by $JOB_COMPLETION_INDEX")
want("VNC_PASSWORD" in env and "secretKeyRef" in str(next(e for e in c["env"] if e["name"] == "VNC_PASSWORD")),
     "VNC_PASSWORD comes from the Secret")
want("--password-env VNC_PASSWORD" in script_text, "vncbot reads the VNC password with --password-env")
pw_file = env.get("WINDOWS_PASSWORD_FILE", "")
vol = mounts.get(os.path.dirname(pw_file))
if want(vol is not None and vol.get("secret", {}).get("secretName") == secret["metadata"]["name"],
        "WINDOWS_PASSWORD_FILE (%s) is in a mount of the Secret" % pw_file):
    items = {i["path"]: i["key"] for i in vol["secret"].get("items", [])} or {k: k for k in secret_data}
    want(items.get(os.path.basename(pw_file)) in secret_data, "the Secret has the key of %s" % pw_file)
    want("password=file:$WINDOWS_PASSWORD_FILE" in script_text, "vncbot reads the Windows password from the file")
# Run as a user other than root, vncbot must still read the password's file (fsGroup and
# a group-readable mode) and write its result (a writable mount, if the root is read-only).
psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
if csc.get("runAsUser", psc.get("runAsUser", 0)) != 0 and vol is not None and "secret" in vol:
    modes = [i.get("mode", vol["secret"].get("defaultMode", 0o644)) for i in vol["secret"].get("items", [])
             if i["path"] == os.path.basename(pw_file)]
    want("fsGroup" in psc and all(m & 0o040 for m in modes),
         "running as user %s, vncbot can read %s (fsGroup, group-readable mode)" %
         (csc.get("runAsUser", psc.get("runAsUser")), pw_file))
if csc.get("readOnlyRootFilesystem"):
    rdir = os.path.dirname(env.get("RESULT_FILE", "/"))
    want(rdir in mounts and "emptyDir" in (mounts[rdir] or {}),
         "RESULT_FILE (%s) is on a writable emptyDir, the root being read-only" % env.get("RESULT_FILE"))
plain = " ".join(cmd + [e.get("value", "") for e in c.get("env", [])] + list(data.values()))
for k, v in secret_data.items():
    want(v not in plain, "the Secret's %s is in no command, plain env value or ConfigMap" % k)

if problems:
    sys.exit("fleet-job.yaml: " + "; ".join(problems))
print("%d consoles" % len(targets))
if not pod_root:
    sys.exit(0)

# 2. The pod on this machine: its / is pod_root.
def under(p):
    return pod_root + p if p.startswith("/") else p
def lay_out(dir, files, mode=0o644):
    # As the kubelet does: files in a timestamped directory, ..data pointing at it, and
    # a symlink per key through ..data.
    stamp = "..2024_01_01_00_00_00.000000000"
    os.makedirs(os.path.join(dir, stamp))
    for name, text in files.items():
        p = os.path.join(dir, stamp, name)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        os.symlink(os.path.join("..data", name), os.path.join(dir, name))
    os.symlink(stamp, os.path.join(dir, "..data"))
for mount, vol in mounts.items():
    if "configMap" in vol:
        files = dict(data)
        files["targets.txt"] = open(targets_file).read()
        lay_out(under(mount), files)
    elif "secret" in vol:
        items = vol["secret"].get("items") or [{"key": k, "path": k} for k in secret_data]
        lay_out(under(mount), {i["path"]: secret_data[i["key"]] for i in items}, 0o440)
    elif "emptyDir" in vol:
        os.makedirs(under(mount), exist_ok=True)
os.makedirs(under("/tmp"), exist_ok=True)
with open(os.path.join(pod_root, "pod.cmd"), "w") as f:
    f.write("".join(under(a) + "\0" for a in cmd))
with open(os.path.join(pod_root, "pod.env"), "w") as f:
    f.write("".join("%s=%s\0" % (k, under(v) if v.startswith("/") else v) for k, v in env.items()))
with open(os.path.join(pod_root, "vnc-password"), "w") as f:
    f.write(env["VNC_PASSWORD"] + "\n")
EOF
check_manifest=(python3 "$TEST_TMP/manifest.py" "$manifest")

run_bounded 30 "${check_manifest[@]}"
((LAST_RC == 0)) || fail "$(cat "$LAST_ERR")"
note "fleet-job.yaml: $(cat "$LAST_OUT"), structure as Kubernetes and the recipe need"

# ---------------------------------------------------------------------------------------
# 2. The pods, played here against practice consoles.

require_vncbot
require_practice
require_result_option
fleet_path_vncbot

consoles=3
root=$TEST_TMP/pod-template
mkdir -p "$TEST_TMP/pods"
# The consoles' VNC password is the Secret's: lay the pod out once to learn it.
printf 'placeholder 127.0.0.1::1\n' > "$TEST_TMP/targets.txt"
run_bounded 30 "${check_manifest[@]}" "$root" "$TEST_TMP/targets.txt"
((LAST_RC == 0)) || setup_fail "could not lay the pod out: $(cat "$LAST_ERR")"
chmod 600 "$root/vnc-password"
start_practice_fleet "$consoles" --password-file "$root/vnc-password"
{
    echo "# the practice consoles"
    for ((i = 0; i < consoles; i++)); do
        printf 'console-%d   127.0.0.1::%s\n' "$i" "${FLEET_PORTS[i]}"
    done
} > "$TEST_TMP/targets.txt"

# run_pod INDEX: the container's command with its environment, as pod number INDEX; its
# log (stdout and stderr, as kubectl logs shows them) in $TEST_TMP/pods/INDEX.log. Sets
# POD_RC.
run_pod() {
    local i=$1 proot=$TEST_TMP/pods/root-$1 cmd=() env=()
    run_bounded 30 "${check_manifest[@]}" "$proot" "$TEST_TMP/targets.txt"
    ((LAST_RC == 0)) || setup_fail "could not lay pod $i out: $(cat "$LAST_ERR")"
    mapfile -d '' cmd < "$proot/pod.cmd"
    mapfile -d '' env < "$proot/pod.env"
    run_bounded 60 env -i PATH="$PATH" HOME=/ JOB_COMPLETION_INDEX="$i" "${env[@]}" "${cmd[@]}"
    POD_RC=$LAST_RC
    cat -- "$LAST_OUT" "$LAST_ERR" > "$TEST_TMP/pods/$i.log"
}

for ((i = 0; i < consoles; i++)); do
    run_pod "$i"
    ((POD_RC == 0)) || fail "pod $i exited $POD_RC; its log: $(head -c 600 "$TEST_TMP/pods/$i.log")"
done
run_pod "$consoles"
((POD_RC == 2)) || fail "pod $consoles (past the last console) exited $POD_RC, expected 2"
assert_contains "$TEST_TMP/pods/$consoles.log" "targets.txt has no console number $consoles" "the log of pod $consoles"

# Each console was typed its own name.
for ((i = 0; i < consoles; i++)); do
    expected_typing "hello from the fleet: console-$i"$'\n' > "$TEST_TMP/expected-$i"
    assert_key_lines "${FLEET_TRANSCRIPTS[i]}" "$TEST_TMP/expected-$i" "console-$i"
done

# ---------------------------------------------------------------------------------------
# 3. collect.sh, with a kubectl that serves the pods played above, then the summary.

cat > "$TEST_TMP/bin/kubectl" << 'EOF'
#!/usr/bin/env bash
# A stand-in for kubectl: the calls collect.sh makes, answered from the pods played
# by the test; anything else is an error.
pods=$FAKE_KUBECTL_PODS
case "$*" in
"get job vncbot-fleet -o jsonpath={.status.conditions[*].type}") echo "Complete" ;;
"get configmap vncbot-fleet -o jsonpath={.data.targets\.txt}") cat "$pods/targets.txt" ;;
"get pods -l job-name=vncbot-fleet -o name")
    for log in "$pods"/*.log; do
        i=$(basename "$log" .log)
        echo "pod/vncbot-fleet-$i-x7k2q"
    done
    ;;
"logs pod/vncbot-fleet-"*) cat "$pods/$(echo "$2" | sed 's/^pod\/vncbot-fleet-\([0-9]*\)-.*/\1/').log" ;;
*)
    echo "fake kubectl: unexpected arguments: $*" >&2
    exit 1
    ;;
esac
EOF
chmod +x "$TEST_TMP/bin/kubectl"
cp -- "$TEST_TMP/targets.txt" "$TEST_TMP/pods/targets.txt"

results=$TEST_TMP/results
run_bounded 30 env FAKE_KUBECTL_PODS="$TEST_TMP/pods" sh "$FLEET_EXAMPLES/k8s/collect.sh" "$results"
((LAST_RC == 0)) || fail "collect.sh exited $LAST_RC: $(cat "$LAST_ERR")"
n=$(find "$results" -name '*.json' | wc -l)
((n == consoles)) || fail "collect.sh wrote $n result files, expected $consoles: $(ls "$results")"
for ((i = 0; i < consoles; i++)); do
    assert_result "$results/console-$i.json" "${FLEET_PORTS[i]}" succeeded 0 ok "console-$i (collected)"
done
assert_file_equals "$TEST_TMP/targets.txt" "$results/targets.txt" "the targets collect.sh kept"
run_bounded 30 "$FLEET_EXAMPLES/fleet-summary.sh" "$results" "$results/targets.txt"
((LAST_RC == 0)) || fail "fleet-summary.sh exited $LAST_RC: $(cat "$LAST_OUT" "$LAST_ERR")"
assert_eq "fleet: $consoles of $consoles consoles succeeded, 0 failed, 0 error, 0 without a result" \
    "$(cat "$LAST_OUT")" "fleet-summary.sh over the collected results"

note "ok: the Job's manifest holds together, and its pods, played here, each left a result"
