# fuzz/README.md names every fuzz target there is (each fuzz/fuzz_TARGET.c) and the ctest
# test that runs it (fuzz.TARGET), and says how CI runs them: a fixed number of executions.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

readme=$PROJECT_DIR/fuzz/README.md
targets=()
for src in "$PROJECT_DIR"/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    targets+=("${name#fuzz_}")
done
((${#targets[@]} >= 3)) || setup_fail "expected at least 3 fuzz targets, found: ${targets[*]}"
for t in "${targets[@]}"; do
    assert_contains "$readme" "| \`fuzz_$t\` |" "fuzz/README.md's table of targets"
    assert_contains "$readme" "\`fuzz.$t\`" "fuzz/README.md's list of the tests CI runs"
    grep -Eq "foreach\(target( [a-z]+)* $t( |\))" "$PROJECT_DIR/CMakeLists.txt" ||
        fail "CMakeLists.txt does not build and test fuzz target '$t'"
done
assert_contains "$readme" "fixed number of executions" "fuzz/README.md on how CI runs the targets"

note "ok: fuzz/README.md names ${targets[*]} and how CI runs them"
