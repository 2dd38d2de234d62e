# docs/script.md's list of statements is the statement table of the code: the Markdown
# table that `vncbot --statements-md` prints (one row per form of a statement, its usage and
# summary, all made from the table) stands in the page whole, with no other row beside it.
# When it fails, it shows how the page's table differs: paste the command's output over it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot

doc=$PROJECT_DIR/docs/script.md
[[ -r $doc ]] || setup_fail "cannot read $doc"
"$VNCBOT" --statements-md > "$TEST_TMP/statements.md" 2> "$TEST_TMP/err" ||
    fail "vncbot --statements-md exited $?: $(cat "$TEST_TMP/err")"
[[ -s $TEST_TMP/statements.md ]] || fail "vncbot --statements-md printed nothing"

python3 - "$doc" "$TEST_TMP/statements.md" << 'PY' || fail "docs/script.md's statement list is not the code's (vncbot --statements-md)"
import difflib, sys
doc = open(sys.argv[1], encoding="utf-8").read().split("\n")
want = open(sys.argv[2], encoding="utf-8").read().rstrip("\n").split("\n")
for i in range(len(doc) - len(want) + 1):
    if doc[i:i + len(want)] == want:
        around = [doc[i - 1] if i else "", doc[i + len(want)] if i + len(want) < len(doc) else ""]
        extra = [l for l in around if l.startswith("|")]
        if extra:
            sys.exit("docs/script.md's statement table has a row the code's has not: " + extra[0])
        sys.exit(0)
start = next((i for i, l in enumerate(doc) if l.startswith(want[0])), None)
if start is None:
    sys.exit("docs/script.md has no table headed " + want[0])
end = start
while end < len(doc) and doc[end].startswith("|"):
    end += 1
sys.stderr.writelines(l + "\n" for l in difflib.unified_diff(
    doc[start:end], want, "docs/script.md", "vncbot --statements-md", lineterm=""))
sys.exit(1)
PY

note "ok: docs/script.md lists the $(($(wc -l < "$TEST_TMP/statements.md") - 2)) statement forms of the table"
