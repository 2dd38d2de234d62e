# The sample recordings in recordings/ are whole and replay: each directory's
# events.jsonl reads as JSON with its start (dated) and its result, report.html is
# there with what the machine said, the result says exit 0, and every capture
# (gzipped) plays back to PNG frames with vncbot replay. For the NLA runbook's
# recording: the drop and the return are in it, and the verdict after the restart.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot
require_cmd python3 python3
require_cmd gzip gzip
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

dirs=("$PROJECT_DIR"/recordings/*/)
[[ -d ${dirs[0]} ]] || fail "no recording in recordings/"
for dir in "${dirs[@]}"; do
    dir=${dir%/}
    name=$(basename "$dir")
    python3 - "$dir" << 'PY' || fail "$name: the events or the result are not whole"
import json, os, sys
d = sys.argv[1]
ev = [json.loads(l) for l in open(os.path.join(d, "events.jsonl"))]
assert ev[0]["event"] == "start" and ev[0].get("date"), ev[0]
assert ev[-1]["event"] == "result" and ev[-1]["exit"] == "0", ev[-1]
res = json.load(open(os.path.join(d, "result.json")))
assert res["exit"] == 0 and res["verdict"] == "succeeded", res
for e in ev:
    if "png" in e:
        assert os.path.getsize(os.path.join(d, e["png"])) > 0, e
PY
    grep -q 'the screen said' "$dir/report.html" || fail "$name: report.html shows nothing the machine said"
    n=0
    for cap in "$dir"/capture*.fbs.gz; do
        n=$((n + 1))
        base=$(basename "$cap" .gz)
        gzip -dc "$cap" > "$name-$base" || fail "$name: $base.gz does not gunzip"
        assert_exit 0 "$VNCBOT" replay "$name-$base" "$name-$base.frames" --every 1s
        assert_contains "$LAST_ERR" "frames written" "$name: vncbot replay of $base"
        frames=$(ls "$name-$base.frames" | grep -c '\.png$' || true)
        ((frames > 0)) || fail "$name: $base replayed to no frame"
    done
    ((n > 0)) || fail "$name: no capture"
done

# The NLA runbook's recording tells the whole job.
python3 - "$PROJECT_DIR/recordings/nla-practice/events.jsonl" << 'PY' || fail "nla-practice: not the whole job"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["event"] for e in ev]
r = kinds.index("reconnect")
assert kinds.index("disconnect") < r, kinds
said = [e["text"] for e in ev[r:] if e["event"] == "read"]
assert any("tspkg-present" in t and "credssp.dll-present" in t for t in said), said
PY
note "ok: ${#dirs[@]} recording(s) whole, their captures replayed"
