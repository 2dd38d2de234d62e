# Every example in docs/script.md does what the page says: each ```vncbot fenced block is
#
# - accepted by `vncbot check` (exit 0), and
# - run with `vncbot -c PRACTICE run BLOCK` against a practice console (exit 0), given a
#   --secret for each name that check lists after "secrets needed:", in a directory of its
#   own; every PNG the block captures by a plain name exists there and is a PNG.
#
# All blocks are tried; a failure names the block (its number and line in the page), shows
# its text and what vncbot said, and the test fails at the end. ```text blocks (error
# examples, shell sessions) are not run.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

doc=$PROJECT_DIR/docs/script.md
[[ -r $doc ]] || setup_fail "cannot read $doc"

# Extract the blocks: $TEST_TMP/docs/NN/block.vnc, and NN/line holding the line of the
# opening fence in the page.
mkdir -p "$TEST_TMP/docs"
awk -v dir="$TEST_TMP/docs" '
    !inside && /^```vncbot[[:space:]]*$/ {
        inside = 1; n++; d = sprintf("%s/%02d", dir, n)
        system("mkdir -p \"" d "\"")
        print NR > (d "/line"); close(d "/line")
        printf "" > (d "/block.vnc")
        next
    }
    inside && /^```[[:space:]]*$/ { inside = 0; close(d "/block.vnc"); next }
    inside { print >> (d "/block.vnc") }
    END { if (inside) { print "unterminated ```vncbot block at the end of the page" > "/dev/stderr"; exit 1 } }
' "$doc" || setup_fail "could not extract the vncbot blocks of $doc"
blocks=("$TEST_TMP"/docs/*/)
[[ -e ${blocks[0]:-} ]] || setup_fail "no \`\`\`vncbot block found in $doc"
note "${#blocks[@]} vncbot blocks in docs/script.md"

practice_fresh docs_examples

failures=()

# block_failed DIR WHY: report a block that does not do what the page says.
block_failed() {
    local dir=$1 why=$2 n line
    n=$(basename "$dir")
    line=$(< "$dir/line")
    failures+=("block $n (docs/script.md:$line)")
    {
        printf 'FAIL: %s: example block %s at docs/script.md:%s: %s\n' "$TEST_NAME" "$n" "$line" "$why"
        printf '  block:\n'
        sed 's/^/    | /' "$dir/block.vnc"
        if [[ -n $LAST_CMD ]]; then
            printf '  command (in %s): %s\n  exit status: %s\n' "$dir" "$LAST_CMD" "$LAST_RC"
            printf '  stderr:\n'
            head -n 15 "$LAST_ERR" | sed 's/^/    /'
            printf '  stdout:\n'
            head -n 15 "$LAST_OUT" | sed 's/^/    /'
        fi
    } >&2
}

# captured_names FILE: the file names of `capture NAME` / `capture "NAME"` statements
# whose name is plain (no variable or escape, so the file name is known in advance).
captured_names() {
    grep -oE '(^|[;{[:space:]])capture[[:space:]]+("[^"]*"|[^[:space:];#}"]+)' -- "$1" |
        sed -E 's/^.*capture[[:space:]]+//; s/^"(.*)"$/\1/' |
        grep -v '[$\\]' || true
}

runs=0
for dir in "${blocks[@]}"; do
    dir=${dir%/}
    cd "$dir" || setup_fail "cannot enter $dir"
    LAST_CMD=

    # 1. check
    run_bounded "$VB_CMD_TIMEOUT" "$VNCBOT" check block.vnc
    if ((LAST_RC != 0)); then
        block_failed "$dir" "'vncbot check' exited $LAST_RC, expected 0"
        continue
    fi

    # 2. run, with a secret for each name check asked for
    secrets=$(sed -n 's/^secrets needed:[[:space:]]*//p' "$LAST_OUT" | sed 's/[[:space:]]*(.*$//')
    envs=() args=()
    i=0
    for name in $secrets; do
        i=$((i + 1))
        envs+=("VB_DOC_SECRET_$i=docs-secret-$i")
        args+=(--secret "$name=env:VB_DOC_SECRET_$i")
    done
    run_bounded "$VB_CMD_TIMEOUT" env "${envs[@]}" "$VNCBOT" -c "$PRACTICE_ADDR" run block.vnc "${args[@]}"
    runs=$((runs + 1))
    if ((LAST_RC != 0)); then
        block_failed "$dir" "'vncbot run' exited $LAST_RC, expected 0"
        continue
    fi
    for ((i = 1; i <= ${#envs[@]}; i++)); do
        if grep -qF "docs-secret-$i" "$LAST_OUT" "$LAST_ERR"; then
            block_failed "$dir" "the value of a secret was shown in vncbot's output"
        fi
    done

    # 3. the screenshots it took
    while IFS= read -r png; do
        [[ -n $png ]] || continue
        if [[ ! -s $png ]]; then
            block_failed "$dir" "no PNG file '$png' after the run (files there: $(printf '%s ' *))"
        elif [[ $(head -c 8 -- "$png" | od -An -tx1 | tr -d ' \n') != 89504e470d0a1a0a ]]; then
            block_failed "$dir" "'$png' is not a PNG file (starts: $(head -c 8 -- "$png" | od -An -c))"
        fi
    done < <(captured_names block.vnc)
done
cd "$TEST_TMP" || exit 1

# Each run reached the console (a connection per run).
wait_until "$PT_TRANSCRIPT_DEADLINE" "(( \$(disconnect_count '$TRANSCRIPT') >= $runs ))" || true
connects=$(connect_count "$TRANSCRIPT")
((connects == runs)) ||
    failures+=("the practice console saw $connects connections for $runs runs")

if ((${#failures[@]} > 0)); then
    fail "${#failures[@]} problem(s) with the examples of docs/script.md: $(printf '%s; ' "${failures[@]}")"
fi
note "ok: all ${#blocks[@]} examples of docs/script.md checked and ran against the practice console"
