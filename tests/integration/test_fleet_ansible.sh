# The Ansible recipe of docs/fleet.md, run for real: ansible-playbook runs
# examples/fleet/ansible/fleet.yml on an inventory made like inventory.ini (one host per
# console, ansible_connection=local) of 3 practice consoles with a VNC password, plus one
# host whose address has nothing listening. The passwords come from a variables file, as
# a vault would give them: vnc_password (the console's) and windows_password (typed by the
# script's `type secret password`).
#
# - a result per console fetched to results_dir/HOST.json: the 3 consoles succeeded with
#   their own port as target, the empty address is an error of class connection;
# - each console received exactly its script: its own name (-D CONSOLE), the Windows
#   password, Enter (the transcript's key lines);
# - the play fails that host only (ansible-playbook exits 2, the recap says failed=1 for
#   it and 0 for the others), fleet-summary.sh counts 3 of 4, and neither password is in
#   Ansible's output; the private directories on the runner are gone.
# ${CONSOLE} in single quotes is for vncbot, not the shell.
# shellcheck disable=SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1
. "$VB_LIB_DIR/fleet-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd ansible-playbook ansible-core
require_cmd jq jq
require_result_option
fleet_path_vncbot

consoles=3
vnc_password=vnc-$RANDOM
windows_password="Win-$RANDOM!pw"
printf '%s\n' "$vnc_password" > "$TEST_TMP/vnc-password"
chmod 600 "$TEST_TMP/vnc-password"
start_practice_fleet "$consoles" --password-file "$TEST_TMP/vnc-password"
nothing_port=
free_port nothing_port
port_listening "$nothing_port" && setup_fail "port $nothing_port should be closed but listens"

# The inventory, shaped like examples/fleet/ansible/inventory.ini.
inventory=$TEST_TMP/inventory.ini
{
    echo "[consoles]"
    for ((i = 0; i < consoles; i++)); do
        echo "console-$i console_address=127.0.0.1::${FLEET_PORTS[i]}"
    done
    echo "nothing-there console_address=127.0.0.1::$nothing_port"
    echo
    echo "[consoles:vars]"
    echo "ansible_connection=local"
} > "$inventory"
# The "vault": a variables file (a value on a command line is what the recipe avoids).
printf 'vnc_password: "%s"\nwindows_password: "%s"\n' "$vnc_password" "$windows_password" > "$TEST_TMP/vault.yml"
chmod 600 "$TEST_TMP/vault.yml"
# The script: each console's own name, then the Windows password.
script=$TEST_TMP/hello.vnc
printf '%s\n' 'type "hello ${CONSOLE}\n"' 'type secret password' 'key enter' > "$script"

# Ansible's own files and the runner's private directories stay in the test's temp dir.
mkdir -p "$TEST_TMP/ansible" "$TEST_TMP/runner-tmp" "$TEST_TMP/home"
: > "$TEST_TMP/ansible.cfg" # no configuration from elsewhere
results=$TEST_TMP/results
cd "$TEST_TMP" || exit 1
run_bounded 110 env HOME="$TEST_TMP/home" TMPDIR="$TEST_TMP/runner-tmp" \
    ANSIBLE_LOCAL_TEMP="$TEST_TMP/ansible/local" ANSIBLE_REMOTE_TEMP="$TEST_TMP/ansible/remote" \
    ANSIBLE_CONFIG="$TEST_TMP/ansible.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
    ansible-playbook -i "$inventory" "$FLEET_EXAMPLES/ansible/fleet.yml" -f 4 \
    -e @"$TEST_TMP/vault.yml" -e vncbot_script="$script" -e results_dir="$results"
note "ansible-playbook took ${LAST_SECONDS}s and exited $LAST_RC"
ansible_rc=$LAST_RC
cp -- "$LAST_OUT" "$TEST_TMP/ansible.out" || setup_fail "cannot keep ansible-playbook's output"
cp -- "$LAST_ERR" "$TEST_TMP/ansible.err" || setup_fail "cannot keep ansible-playbook's output"
log_add "$TEST_TMP/ansible.out"
log_add "$TEST_TMP/ansible.err"
((ansible_rc != 124)) || fail "ansible-playbook was still running after 110 s"

# A result per console.
for ((i = 0; i < consoles; i++)); do
    assert_result "$results/console-$i.json" "${FLEET_PORTS[i]}" succeeded 0 ok "console-$i"
done
assert_result "$results/nothing-there.json" "$nothing_port" error 3 connection "nothing-there"

# What each console received: its own name, the Windows password, Enter.
for ((i = 0; i < consoles; i++)); do
    expected_typing "hello console-$i"$'\n'"$windows_password" > "$TEST_TMP/expected-$i"
    press 0xff0d Return >> "$TEST_TMP/expected-$i"
    assert_key_lines "${FLEET_TRANSCRIPTS[i]}" "$TEST_TMP/expected-$i" "console-$i"
done

# The play's verdicts: only the empty address failed.
assert_eq 2 "$ansible_rc" "ansible-playbook's exit status (a host failed)"
for ((i = 0; i < consoles; i++)); do
    assert_matches "$TEST_TMP/ansible.out" "^console-$i +: ok=[0-9]+ .* failed=0 " "the play recap of console-$i"
done
assert_matches "$TEST_TMP/ansible.out" "^nothing-there +: ok=[0-9]+ .* failed=1 " "the play recap of nothing-there"

# The summary over the fetched results.
run_bounded 30 "$FLEET_EXAMPLES/fleet-summary.sh" "$results"
assert_eq 1 "$LAST_RC" "fleet-summary.sh's exit status"
assert_matches "$LAST_OUT" "^fleet: $consoles of $((consoles + 1)) consoles succeeded, 0 failed, 1 error, 0 without a result \(connection 1\)$" \
    "fleet-summary.sh's output"

# Neither password in Ansible's output or the results; nothing left on the runner.
if grep -rlF -e "$vnc_password" -e "$windows_password" "$results" "$TEST_TMP/ansible.out" \
    "$TEST_TMP/ansible.err" > "$TEST_TMP/leaks"; then
    fail "a password is in: $(tr '\n' ' ' < "$TEST_TMP/leaks")"
fi
left=$(find "$TEST_TMP/runner-tmp" -mindepth 1 -maxdepth 1 -name 'vncbot-fleet.*')
[[ -z $left ]] || fail "the runner's private directories are still there: $left"

note "ok: a result per console; the empty address failed alone, as class connection"
