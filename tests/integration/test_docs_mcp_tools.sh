# docs/mcp.md's list of tools is the MCP server's: the Markdown table that `vncbot --tools-md`
# prints (made from the same table as tools/list: each tool, its arguments, what it does)
# stands in the page whole, with no other row beside it. When it fails, it shows how the
# page's table differs: paste the command's output over it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot
require_cmd python3 python3

doc=$PROJECT_DIR/docs/mcp.md
[[ -r $doc ]] || setup_fail "cannot read $doc"
"$VNCBOT" --tools-md > "$TEST_TMP/tools.md" 2> "$TEST_TMP/err" ||
    fail "vncbot --tools-md exited $?: $(cat "$TEST_TMP/err")"
[[ -s $TEST_TMP/tools.md ]] || fail "vncbot --tools-md printed nothing"

python3 - "$doc" "$TEST_TMP/tools.md" << 'PY' || fail "docs/mcp.md's tool list is not the code's (vncbot --tools-md)"
import difflib, sys
doc = open(sys.argv[1], encoding="utf-8").read().split("\n")
want = open(sys.argv[2], encoding="utf-8").read().rstrip("\n").split("\n")
for i in range(len(doc) - len(want) + 1):
    if doc[i:i + len(want)] == want:
        around = [doc[i - 1] if i else "", doc[i + len(want)] if i + len(want) < len(doc) else ""]
        extra = [l for l in around if l.startswith("|")]
        if extra:
            sys.exit("docs/mcp.md's tool table has a row the code's has not: " + extra[0])
        sys.exit(0)
start = next((i for i, l in enumerate(doc) if l.startswith(want[0])), None)
if start is None:
    sys.exit("docs/mcp.md has no table headed " + want[0])
end = start
while end < len(doc) and doc[end].startswith("|"):
    end += 1
sys.stderr.writelines(l + "\n" for l in difflib.unified_diff(
    doc[start:end], want, "docs/mcp.md", "vncbot --tools-md", lineterm=""))
sys.exit(1)
PY

note "ok: docs/mcp.md lists the $(($(wc -l < "$TEST_TMP/tools.md") - 2)) tools of the server"
