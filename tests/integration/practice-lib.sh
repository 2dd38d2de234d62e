# tests/integration/practice-lib.sh: helpers for the tests that use the practice console
# (vncbot-practice) as their witness. Sourced after lib.sh, never run.
#
# The practice console appends one line per key event to its transcript (`down 0xffe3
# Control_L`), and `# connect ADDRESS` / `# disconnect` lines around each client
# (docs/practice.md). These helpers start a console with a fresh transcript per scenario,
# build the expected lines, wait for the transcript with a deadline, and compare it with a
# diff on failure. They also run vncbot in the background under a small python3 wrapper
# that records whether it exited (and with which status) or was killed by a signal, which a
# shell's `wait` cannot tell apart.

# shellcheck disable=SC2034

# How long a transcript may lag behind vncbot's exit before the comparison is made anyway
# (and shows what is missing), in seconds.
: "${PT_TRANSCRIPT_DEADLINE:=10}"

# practice_fresh NAME [PRACTICE OPTIONS...]: start a practice console whose transcript is
# $TEST_TMP/NAME.transcript (new and empty). Sets TRANSCRIPT, and PRACTICE_PID,
# PRACTICE_PORT, PRACTICE_ADDR (127.0.0.1::PORT) through start_practice. Each scenario gets
# its own console so that no line of an earlier run can land in its transcript. The
# console runs with -q (its own errors only); PT_PRACTICE_VERBOSE=1 keeps libvncserver's
# log in $PRACTICE_LOG, shown when the test fails.
practice_fresh() {
    local name=$1
    shift
    TRANSCRIPT=$TEST_TMP/$name.transcript
    rm -f -- "$TRANSCRIPT"
    if [[ ${PT_PRACTICE_VERBOSE:-0} == 1 ]]; then
        start_practice "$TRANSCRIPT" "$@"
    else
        start_practice "$TRANSCRIPT" -q "$@"
    fi
}

# key_lines FILE: the key event lines of a transcript (the `#` lines left out).
key_lines() {
    [[ -e $1 ]] || return 0
    grep -v '^#' -- "$1" || true
}

# key_line_count FILE / line_count FILE / disconnect_count FILE
key_line_count() { key_lines "$1" | grep -c '' || true; }
line_count() { if [[ -e $1 ]]; then grep -c '' -- "$1" || true; else echo 0; fi; }
disconnect_count() { if [[ -e $1 ]]; then grep -c '^# disconnect$' -- "$1" || true; else echo 0; fi; }
connect_count() { if [[ -e $1 ]]; then grep -c '^# connect ' -- "$1" || true; else echo 0; fi; }

# ev down|up KEYSYM_HEX NAME: one transcript key line (`ev down 0xffe3 Control_L`).
ev() { printf '%s %s %s\n' "$1" "$2" "$3"; }

# press KEYSYM_HEX NAME: a key pressed and released.
press() {
    ev down "$1" "$2"
    ev up "$1" "$2"
}

# shifted KEYSYM_HEX NAME: a key pressed with Shift_L held around it, as vncbot types the
# characters a US keyboard types with Shift.
shifted() {
    ev down 0xffe1 Shift_L
    press "$1" "$2"
    ev up 0xffe1 Shift_L
}

# The X11 keysym names of 0x20..0x7e (keysymdef.h), which the transcript prints.
ascii_names=(
    space exclam quotedbl numbersign dollar percent ampersand apostrophe
    parenleft parenright asterisk plus comma minus period slash
    0 1 2 3 4 5 6 7 8 9 colon semicolon less equal greater question
    at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
    bracketleft backslash bracketright asciicircum underscore
    grave a b c d e f g h i j k l m n o p q r s t u v w x y z
    braceleft bar braceright asciitilde
)
us_shifted='ABCDEFGHIJKLMNOPQRSTUVWXYZ~!@#$%^&*()_+{}|:"<>?'

# expected_typing TEXT: the transcript key lines for typing TEXT (printable ASCII, newlines
# and tabs) on a US keyboard, as docs/script.md says vncbot types it.
expected_typing() {
    local text=$1 i c code
    for ((i = 0; i < ${#text}; i++)); do
        c=${text:i:1}
        if [[ $c == $'\n' ]]; then
            press 0xff0d Return
            continue
        elif [[ $c == $'\t' ]]; then
            press 0xff09 Tab
            continue
        fi
        printf -v code '%d' "'$c"
        if [[ $us_shifted == *"$c"* ]]; then
            shifted "$(printf '0x%04x' "$code")" "${ascii_names[code - 32]}"
        else
            press "$(printf '0x%04x' "$code")" "${ascii_names[code - 32]}"
        fi
    done
}

# wait_transcript TRANSCRIPT LINES DISCONNECTS: wait (up to $PT_TRANSCRIPT_DEADLINE s)
# until the transcript holds at least LINES key lines and DISCONNECTS `# disconnect` lines,
# or stop early when the DISCONNECTS lines are there with fewer key lines: the console
# writes a client's `# disconnect` after all its key events, so no more can come. Returns 1
# if the lines are not all there, after a note; the comparison that follows shows the rest.
wait_transcript() {
    local t=$1 n=$2 d=$3
    wait_until "$PT_TRANSCRIPT_DEADLINE" "(( \$(disconnect_count '$t') >= $d ))"
    (($(key_line_count "$t") >= n && $(disconnect_count "$t") >= d)) && return 0
    note "the transcript has $(key_line_count "$t") of $n key lines and $(disconnect_count "$t") of $d '# disconnect' lines"
    return 1
}

# assert_key_lines TRANSCRIPT EXPECTED_FILE WHAT: wait until the transcript holds as many
# key lines as expected and its client has disconnected, then require its key lines (the
# `#` lines left out) to equal EXPECTED_FILE exactly; a diff on failure.
assert_key_lines() {
    local t=$1 exp=$2 what=$3 got
    got=$TEST_TMP/$(basename "$t").keys
    wait_transcript "$t" "$(line_count "$exp")" 1 || true
    key_lines "$t" > "$got"
    assert_file_equals "$exp" "$got" "$what (key lines of the transcript)"
}

# assert_transcript TRANSCRIPT EXPECTED_FILE WHAT: as assert_key_lines, but for the whole
# transcript, `# connect` and `# disconnect` lines included (for the order of a release
# and the end of the connection).
assert_transcript() {
    local t=$1 exp=$2 what=$3 keys discs
    keys=$(grep -vc '^#' -- "$exp" || true)
    discs=$(grep -c '^# disconnect$' -- "$exp" || true)
    wait_transcript "$t" "$keys" "$discs" || true
    [[ -e $t ]] || : > "$t"
    assert_file_equals "$exp" "$t" "$what (the whole transcript)"
}

# assert_no_key_lines TRANSCRIPT WHAT: the transcript holds no key event.
assert_no_key_lines() {
    local n
    n=$(key_line_count "$1")
    ((n == 0)) && return 0
    fail "$2: the transcript should hold no key event, has $n: $(key_lines "$1" | head -n 10 | tr '\n' ';')"
}

# ---------------------------------------------------------------------------------------
# vncbot in the background

# vncbot_bg NAME ARGS...: start "$VNCBOT" ARGS... in the background, stdin /dev/null,
# stdout and stderr in $TEST_TMP/NAME.stdout / .stderr (BG_OUT, BG_ERR). Sets BG_PID (the
# vncbot process, to send signals to) and BG_STATUS (a file written when it ends: `exit N`
# or `signal N`). SIGINT and SIGTERM are set back to their defaults for it (a background
# job of a non-interactive shell starts with SIGINT ignored).
vncbot_bg() {
    local name=$1
    shift
    BG_OUT=$TEST_TMP/$name.stdout
    BG_ERR=$TEST_TMP/$name.stderr
    BG_STATUS=$TEST_TMP/$name.status
    local pidfile=$TEST_TMP/$name.pid
    rm -f -- "$BG_STATUS" "$pidfile"
    python3 -c '
import os, signal, subprocess, sys
status, pidfile = sys.argv[1], sys.argv[2]
def restore():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)
p = subprocess.Popen(sys.argv[3:], preexec_fn=restore)
def put(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)
put(pidfile, "%d\n" % p.pid)
rc = p.wait()
put(status, "signal %d\n" % -rc if rc < 0 else "exit %d\n" % rc)
' "$BG_STATUS" "$pidfile" "$VNCBOT" "$@" < /dev/null > "$BG_OUT" 2> "$BG_ERR" &
    local wrapper=$!
    cleanup_add "stop_pid $wrapper vncbot-wrapper"
    log_add "$BG_ERR"
    wait_until 10 "[[ -s '$pidfile' ]] || ! pid_alive $wrapper"
    [[ -s $pidfile ]] || setup_fail "the python3 wrapper did not start vncbot: $(tail -n 5 "$BG_ERR")"
    BG_PID=$(< "$pidfile")
    cleanup_add "stop_pid $BG_PID vncbot"
}

# bg_wait SECONDS: wait until the background vncbot has ended; sets BG_RESULT to the
# content of its status file (`exit 143`, `signal 15`), or fails the test on timeout.
bg_wait() {
    if ! wait_until "$1" "[[ -s '$BG_STATUS' ]]"; then
        fail "vncbot (pid $BG_PID) was still running $1 s later; stderr: $(head -c 600 "$BG_ERR")"
    fi
    BG_RESULT=$(< "$BG_STATUS")
}

# ---------------------------------------------------------------------------------------
# The Windows screens (docs/practice.md): where a watcher looks to tell them apart, for
# `expect colour C SHARE in REGION` at the default 1024x768.

# The lock and sign-in screens' sky at the top (WIN_LOCK_TOP, a gradient: tolerance 24).
WIN_LOCK_SKY='0x0b2d5e 90% in 0,0,1024,32'
# The user's picture on the sign-in screen: a grey disc left of its white head.
WIN_SIGNIN_AVATAR='0xb4b4b4 90% in 430,240,30,40'
# The password box, white, empty or with dots.
WIN_SIGNIN_BOX='0xffffff 75% in 370,432,250,24'
# The OK button under a sign-in message (incorrect password, locked out).
WIN_SIGNIN_OK='0xe1e1e1 70% in 460,482,100,18'
# The desktop's wallpaper, where no window is.
WIN_WALLPAPER='0x0f5ea8'
# Server Manager's dark-blue left pane, below its items.
WIN_SERVER_MANAGER='0x1b3a5c 90% in 70,240,200,300'
# The Run dialog at the lower left, its grey face.
WIN_RUN='0xf0f0f0 40% in 10,560,410,150'
# A cmd window's body (black, colour 07) over the middle of the screen, as nla-fix.vnc
# looks at it.
WIN_CMD_REGION='in 0,100,1024,500'
# The restart notice in the middle of the screen, dark grey.
WIN_NOTICE='0x1f1f1f 60% in 260,290,500,130'

# ocr_says PNG TEXT WHAT: the text Tesseract reads in PNG (a screenshot vncbot took)
# contains TEXT (any case). A second witness for the words on a screen, beside its
# colours; skipped with a note when tesseract is not installed.
ocr_says() {
    local png=$1 text=$2 what=$3 out
    if ! command -v tesseract > /dev/null; then
        note "tesseract not installed: not reading '$text' off $what"
        return 0
    fi
    out=$TEST_TMP/$(basename "$png").txt
    OMP_THREAD_LIMIT=1 tesseract "$png" - --psm 6 > "$out" 2> /dev/null
    grep -qiF -- "$text" "$out" ||
        fail "$what: the screen should say '$text'; Tesseract read: $(tr '\n' ' ' < "$out" | head -c 400)"
}
