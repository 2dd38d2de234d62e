# docs/script.md's list of statements is the statement table of the code: the Markdown
# table that `vncbot --statements-md` prints (one row per form of a statement, its usage and
# summary, all made from the table) stands in the page whole, with no other row beside it.
# When it fails, it shows how the page's table differs: paste the command's output over it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot

assert_doc_table "$PROJECT_DIR/docs/script.md" --statements-md

note "ok: docs/script.md lists the $(($(wc -l < "$DOC_TABLE") - 2)) statement forms of the table"
