# docs/fleet.md shows the fleet recipes' files whole, and exactly as the tests run them: a
# fenced block whose info string names a file (```sh examples/fleet/fleet-parallel.sh)
# holds that file's text byte for byte, and every file of examples/fleet/ is shown once.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

doc=$PROJECT_DIR/docs/fleet.md
[[ -r $doc ]] || setup_fail "cannot read $doc"

# Extract the blocks: $TEST_TMP/blocks/N.text, and N.path (the file named) and N.line (the
# line of the opening fence in the page).
mkdir -p "$TEST_TMP/blocks"
awk -v dir="$TEST_TMP/blocks" '
    !inside && /^```[a-z]* examples\/fleet\/[^ ]+[[:space:]]*$/ {
        inside = 1; n++
        print $2 > (dir "/" n ".path"); close(dir "/" n ".path")
        print NR > (dir "/" n ".line"); close(dir "/" n ".line")
        printf "" > (dir "/" n ".text")
        next
    }
    inside && /^```[[:space:]]*$/ { inside = 0; close(dir "/" n ".text"); next }
    inside { print >> (dir "/" n ".text") }
    END { if (inside) { print "unterminated block at the end of the page" > "/dev/stderr"; exit 1 } }
' "$doc" || setup_fail "could not extract the file blocks of $doc"

shown=()
for path_file in "$TEST_TMP"/blocks/*.path; do
    [[ -e $path_file ]] || break
    n=$(basename "$path_file" .path)
    path=$(< "$path_file")
    line=$(< "$TEST_TMP/blocks/$n.line")
    [[ -f $PROJECT_DIR/$path ]] || fail "docs/fleet.md:$line shows $path, which is not a file of the repo"
    assert_file_equals "$PROJECT_DIR/$path" "$TEST_TMP/blocks/$n.text" "the block at docs/fleet.md:$line ($path)"
    shown+=("$path")
done

missing=()
while IFS= read -r f; do
    rel=${f#"$PROJECT_DIR"/}
    n=0
    for s in "${shown[@]}"; do
        [[ $s == "$rel" ]] && n=$((n + 1))
    done
    ((n == 1)) || missing+=("$rel (shown $n times)")
done < <(find "$PROJECT_DIR/examples/fleet" -type f | sort)
((${#missing[@]} == 0)) || fail "docs/fleet.md should show each file of examples/fleet/ once: ${missing[*]}"
note "ok: docs/fleet.md shows the ${#shown[@]} files of examples/fleet/ as they are"
