# tests/integration/runbook-lib.sh: helpers for the tests of the NLA runbook
# (scripts/windows/) against the practice console. Sourced after lib.sh and
# practice-lib.sh, never run.

RUNBOOK=$PROJECT_DIR/scripts/windows
MACHINES=$PROJECT_DIR/practice/machines
LSA='HKLM\SYSTEM\CurrentControlSet\Control\Lsa'
SECPROV='HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders'

# state_get STATE KEY VALUE: the value's data as the --state file has it (JSON), or
# "absent".
state_get() {
    python3 - "$@" << 'PY'
import json, sys
state, key, name = sys.argv[1:4]
reg = json.load(open(state))["registry"]
v = reg.get(key, {}).get(name)
print("absent" if v is None else json.dumps(v["data"]))
PY
}

# state_file STATE PATH: the text of a file on the machine's disk, or nothing (exit 1).
state_file() {
    python3 - "$@" << 'PY'
import json, sys
files = json.load(open(sys.argv[1]))["files"]
if sys.argv[2] not in files:
    sys.exit(1)
sys.stdout.write(files[sys.argv[2]])
PY
}

# registry_of STATE: the whole registry of a --state file, as canonical JSON.
registry_of() {
    python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["registry"], sort_keys=True))' "$1"
}

# expected_after_fix MACHINE_STATE: the two values as the seed says they must be after
# the fix, from the machine's values before it: every earlier entry kept, in order; tspkg
# and credssp.dll added where missing (matched whole), SecurityProviders created when
# absent or empty, else ",credssp.dll" appended. Prints two JSON lines.
expected_after_fix() {
    python3 - "$1" "$LSA" "$SECPROV" << 'PY'
import json, sys
reg = json.load(open(sys.argv[1]))["registry"]
pk = reg[sys.argv[2]].get("Security Packages")
pk = list(pk["data"]) if pk else []
pk = [p for p in pk if p != ""]
if not any(p.lower() == "tspkg" for p in pk):
    pk.append("tspkg")
sp = reg[sys.argv[3]].get("SecurityProviders")
sp = sp["data"] if sp else ""
entries = [e.strip().lower() for e in sp.split(",")]
if sp == "":
    sp = "credssp.dll"
elif "credssp.dll" not in entries:
    sp = sp + ",credssp.dll"
print(json.dumps(pk))
print(json.dumps(sp))
PY
}
