# docs/mcp.md's list of tools is the MCP server's: the Markdown table that `vncbot --tools-md`
# prints (made from the same table as tools/list: each tool, its arguments, what it does)
# stands in the page whole, with no other row beside it. When it fails, it shows how the
# page's table differs: paste the command's output over it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot
require_cmd python3 python3

assert_doc_table "$PROJECT_DIR/docs/mcp.md" --tools-md

note "ok: docs/mcp.md lists the $(($(wc -l < "$DOC_TABLE") - 2)) tools of the server"
