# wss:// checks the console's certificate: a self-signed certificate is refused (exit 3,
# one reason line about the certificate, nothing typed) unless trusted with --ca-file, the
# name in the address must match the certificate (by IP address and by host name),
# --insecure connects anyway with a warning, and a --ca-file that does not exist is
# reported by its name.
#
# Arrange: Xvnc (no auth) with an xterm running `cat > got`; a throwaway self-signed
# certificate for localhost and 127.0.0.1; websockify --ssl-only with it in front of Xvnc;
# a second websockify with a certificate for another name. Act: vncbot connects in each
# way and types one line when it may. Assert: exit status and stderr of each run, and that
# cat received exactly the lines of the runs that were allowed, in order, and nothing else.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/ws-lib.sh" || exit 1

require_xvnc_tools
require_websockify
require_cmd openssl openssl
require_vncbot

start_xvnc
got=$TEST_TMP/got
expected=$TEST_TMP/expected
: > "$expected"
start_xterm_cat "$got"

make_test_cert "$TEST_TMP/cert"
wss_port=
free_port wss_port
start_websockify "$wss_port" "127.0.0.1:$XVNC_PORT" --cert "$TEST_CERT" --key "$TEST_KEY" --ssl-only
by_ip="wss://127.0.0.1:$wss_port/websockify"
by_name="wss://localhost:$wss_port/websockify"

# typed_so_far_is WHAT: cat has received exactly the lines expected so far (30 s deadline
# for the bytes to arrive). A refused run that typed anything shows up here as an extra
# line before the next allowed one.
typed_so_far_is() {
    wait_for_size "$got" "$(file_size "$expected")" 30 ||
        note "got only $(file_size "$got") of $(file_size "$expected") bytes within 30 s"
    assert_file_equals "$expected" "$got" "$1"
}

# 1. Not trusted: the system store does not know a self-signed certificate.
VB_CMD_TIMEOUT=30 assert_exit 3 "$VNCBOT" -c "$by_ip" -e 'type "typed although the certificate was refused\n"'
assert_one_reason "$LAST_ERR" "untrusted certificate: stderr"
assert_contains "$LAST_ERR" "certificate" "untrusted certificate: stderr"
note "untrusted: exit 3 after ${LAST_SECONDS}s: $(head -n 1 "$LAST_ERR")"

# 2. Trusted with --ca-file, by IP address (the certificate names IP:127.0.0.1).
assert_exit 0 "$VNCBOT" -c "$by_ip" --ca-file "$TEST_CERT" -e 'type "trusted by --ca-file, by IP address\n"'
assert_not_contains "$LAST_ERR" "insecure" "--ca-file run: stderr"
echo 'trusted by --ca-file, by IP address' >> "$expected"
typed_so_far_is "what cat received (refused run, then --ca-file by IP address)"

# 3. Trusted with --ca-file, by host name (the certificate names DNS:localhost).
assert_exit 0 "$VNCBOT" -c "$by_name" --ca-file "$TEST_CERT" -e 'type "trusted by --ca-file, by name\n"'
echo 'trusted by --ca-file, by name' >> "$expected"
typed_so_far_is "what cat received after --ca-file by name"

# 4. --insecure: no check, and a warning saying so.
assert_exit 0 "$VNCBOT" -c "$by_name" --insecure -e 'type "insecure\n"'
assert_matches "$LAST_ERR" 'insecure|not (checked|verified)' "--insecure: stderr (the warning)"
assert_contains "$LAST_ERR" "certificate" "--insecure: stderr (the warning)"
note "--insecure warns: $(grep -m1 -iE 'insecure|not (checked|verified)' "$LAST_ERR")"
echo 'insecure' >> "$expected"
typed_so_far_is "what cat received after --insecure"

# 5. A trusted certificate for another name: refused by IP address and by name.
mkdir -p "$TEST_TMP/other"
other_cert=$TEST_TMP/other/cert.pem
other_key=$TEST_TMP/other/key.pem
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other.example \
    -addext "subjectAltName=DNS:other.example" -keyout "$other_key" -out "$other_cert" \
    > "$TEST_TMP/other/openssl.log" 2>&1 ||
    setup_fail "openssl could not make the other certificate: $(tail -n 5 "$TEST_TMP/other/openssl.log")"
other_port=
free_port other_port
start_websockify "$other_port" "127.0.0.1:$XVNC_PORT" --cert "$other_cert" --key "$other_key" --ssl-only
for host in 127.0.0.1 localhost; do
    VB_CMD_TIMEOUT=30 assert_exit 3 "$VNCBOT" -c "wss://$host:$other_port/" --ca-file "$other_cert" \
        -e "type \"typed to $host although the name did not match\\n\""
    assert_one_reason "$LAST_ERR" "name mismatch ($host): stderr"
    assert_contains "$LAST_ERR" "certificate" "name mismatch ($host): stderr"
    assert_contains "$LAST_ERR" "mismatch" "name mismatch ($host): stderr"
    note "certificate for other.example, connecting to $host: exit 3: $(head -n 1 "$LAST_ERR")"
done

# Nothing typed by the refused runs: one more allowed line, and the whole file compared.
assert_exit 0 "$VNCBOT" -c "$by_ip" --ca-file "$TEST_CERT" -e 'type "last\n"'
echo 'last' >> "$expected"
typed_so_far_is "what cat received in the end (refused runs must have typed nothing)"

# 6. A --ca-file that does not exist, or holds no certificate: a usage error (exit 2)
# that names the file, found before connecting, like a missing --password-file.
missing=$TEST_TMP/no-such-dir/missing-ca.pem
VB_CMD_TIMEOUT=30 assert_exit 2 "$VNCBOT" -c "$by_name" --ca-file "$missing" -e 'type "typed with a missing --ca-file\n"'
note "missing --ca-file: exit $LAST_RC: $(head -n 1 "$LAST_ERR")"
assert_one_reason "$LAST_ERR" "missing --ca-file: stderr"
assert_contains "$LAST_ERR" "$missing" "missing --ca-file: stderr (must name the file)"
echo 'not a certificate' > "$TEST_TMP/not-a-cert.pem"
VB_CMD_TIMEOUT=30 assert_exit 2 "$VNCBOT" -c "$by_name" --ca-file "$TEST_TMP/not-a-cert.pem" -e 'type "x\n"'
assert_contains "$LAST_ERR" "no PEM certificate" "--ca-file without a certificate: stderr"

note "ok: untrusted and mismatched certificates refused, --ca-file by IP and name and --insecure typed exactly"
