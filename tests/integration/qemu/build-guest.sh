#!/bin/bash
# build-guest.sh [OUTDIR]: build the tiny Linux guest that the QEMU integration tests boot.
#
# Writes OUTDIR/vmlinuz (Debian's kernel, taken out of its package without installing it)
# and OUTDIR/initrd.gz (a busybox-static initramfs). See README.md next to this file for
# what the guest does. Cached and idempotent: each part is rebuilt only when its inputs
# changed (kernel: the package and version `linux-image-amd64` depends on; initrd: the
# busybox binary and this script). Parallel runs are serialised with a lock in OUTDIR.
# Prints OUTDIR on stdout when done; progress on stderr.
#
# OUTDIR defaults to $VNCBOT_QEMU_GUEST_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/vncbot/qemu-guest.
# Debian packages needed: busybox-static cpio (installed here with apt-get when missing and
# running as root); the kernel package is downloaded with `apt-get download`.
# Exit status: 0 done, 1 failed (the message says why).

set -euo pipefail

OUTDIR=${1:-${VNCBOT_QEMU_GUEST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vncbot/qemu-guest}}
SELF=$(readlink -f "${BASH_SOURCE[0]}")

say() { printf 'build-guest: %s\n' "$*" >&2; }
die() {
    printf 'build-guest: error: %s\n' "$*" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------
# Packages

APT_UPDATED=0
apt_update_once() {
    ((APT_UPDATED)) && return 0
    say "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
}

# ensure_packages PKG...: install the packages dpkg-query does not report as installed.
ensure_packages() {
    local p missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    ((EUID == 0)) || die "missing Debian packages: ${missing[*]} (not root, so not installing them; run: apt-get install ${missing[*]})"
    apt_update_once
    say "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
        die "apt-get install ${missing[*]} failed"
}

ensure_packages busybox-static cpio gzip
for cmd in apt-get apt-cache dpkg-deb tar cpio gzip flock sha256sum; do
    command -v "$cmd" > /dev/null || die "'$cmd' not found"
done
BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || die "$BUSYBOX not found (Debian package busybox-static)"
# A dynamically linked busybox (package busybox) would not run in the initramfs.
if command -v file > /dev/null && file -L "$BUSYBOX" | grep -q 'dynamically linked'; then
    die "$BUSYBOX is dynamically linked; the guest needs busybox-static"
fi

# ---------------------------------------------------------------------------------------
# Lock and scratch space

mkdir -p -- "$OUTDIR" || die "cannot create $OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
exec 9> "$OUTDIR/.lock"
if ! flock -n 9; then
    say "waiting for another build in $OUTDIR"
    flock -w 900 9 || die "another build holds $OUTDIR/.lock for over 15 minutes"
fi
WORK=$(mktemp -d "$OUTDIR/.work.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

# ---------------------------------------------------------------------------------------
# Kernel: vmlinuz from linux-image-6.1.0-NN-amd64, the package linux-image-amd64 names.

# kernel_package: prints "PACKAGE VERSION", or nothing when apt knows no such package.
# linux-image-amd64's Depends names it exactly: "linux-image-6.1.0-NN-amd64 (= VERSION)"
# (what `apt-cache depends linux-image-amd64` shows, with the version; one apt-cache call,
# which takes about a second here).
kernel_package() {
    apt-cache show --no-all-versions linux-image-amd64 2> /dev/null |
        sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*\) (= \([^)]*\)).*/\1 \2/p' | head -n 1
}

# apt_download PKG=VER: download the .deb into $WORK. (As root, apt warns that the download
# is "performed unsandboxed" because _apt cannot write there: harmless, filtered out.)
apt_download() {
    local rc=0
    (cd "$WORK" && apt-get download -qq "$1") > "$WORK/apt.log" 2>&1 || rc=$?
    grep -v 'unsandboxed as root' "$WORK/apt.log" >&2 || true
    return "$rc"
}

build_kernel() {
    local want have=
    want=$(kernel_package)
    if [[ -z $want ]]; then
        if [[ -s $OUTDIR/vmlinuz && -s $OUTDIR/vmlinuz.stamp ]]; then
            say "apt knows no linux-image-amd64 (no package lists?); keeping cached $(cat "$OUTDIR/vmlinuz.stamp")"
            return 0
        fi
        ((EUID == 0)) || die "apt-cache does not know linux-image-amd64 and not root to run apt-get update"
        apt_update_once
        want=$(kernel_package)
        [[ -n $want ]] || die "apt-cache depends linux-image-amd64 names no linux-image-<version> package"
    fi
    [[ -s $OUTDIR/vmlinuz.stamp ]] && have=$(cat "$OUTDIR/vmlinuz.stamp")
    if [[ -s $OUTDIR/vmlinuz && $have == "$want" ]]; then
        say "kernel up to date: $want"
        return 0
    fi
    local pkg=${want% *} ver=${want#* } deb
    # Reuse a .deb apt already has; else download it (about 70 MB).
    deb=/var/cache/apt/archives/${pkg}_${ver//:/%3a}_amd64.deb
    if [[ ! -s $deb ]]; then
        say "downloading $pkg $ver"
        if ! apt_download "$pkg=$ver"; then
            ((EUID == 0)) || die "apt-get download $pkg=$ver failed"
            apt_update_once
            apt_download "$pkg=$ver" || die "apt-get download $pkg=$ver failed"
        fi
        deb=$(find "$WORK" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
        [[ -s $deb ]] || die "apt-get download $pkg=$ver left no .deb in $WORK"
    fi
    mkdir -p "$WORK/kernel"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$WORK/kernel" --wildcards './boot/vmlinuz-*' ||
        die "no ./boot/vmlinuz-* in $deb"
    local img
    img=$(find "$WORK/kernel/boot" -name 'vmlinuz-*' -type f | head -n 1)
    [[ -s $img ]] || die "no vmlinuz extracted from $deb"
    rm -f -- "$OUTDIR/vmlinuz.stamp"
    mv -f -- "$img" "$OUTDIR/vmlinuz"
    printf '%s\n' "$want" > "$OUTDIR/vmlinuz.stamp"
    rm -rf -- "$WORK/kernel" "$WORK"/*.deb
    say "kernel: $OUTDIR/vmlinuz from $pkg $ver"
}

# ---------------------------------------------------------------------------------------
# Initramfs

# write_guest_files ROOT: the guest's own files (everything but busybox).
write_guest_files() {
    local root=$1
    mkdir -p "$root"/{bin,sbin,etc/vncbot,dev,proc,sys,tmp,root}

    # PID 1 of the initramfs: mount the pseudo file systems, then become busybox init
    # (which must stay PID 1: it turns off the kernel's Ctrl-Alt-Del reboot with
    # reboot(RB_DISABLE_CAD) and runs the ::ctrlaltdel: action on the SIGINT it gets instead).
    cat > "$root/init" << 'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec < /dev/console > /dev/console 2>&1
exec /bin/busybox init
EOF

    cat > "$root/etc/inittab" << 'EOF'
# vncbot QEMU test guest. /dev/ttyS0 (QEMU -serial file:...) is the test's witness.
::sysinit:/etc/vncbot/rcS
tty1::respawn:/etc/vncbot/reader
::ctrlaltdel:/etc/vncbot/ctrlaltdel
EOF

    # Console set-up, then the ready marker.
    cat > "$root/etc/vncbot/rcS" << 'EOF'
#!/bin/sh
# Kernel messages stay off the screen (screenshots show only the prompt).
dmesg -n 1
# The serial port carries exact bytes: no CR added before LF, nothing echoed.
stty -F /dev/ttyS0 raw -echo
# tty1 (the VGA text console QEMU's VNC shows; input from the PS/2 keyboard): canonical
# lines with echo, CR (Enter) read as LF, no character that signals, quotes the next one,
# erases a word or stops output (only Backspace and ^U still edit a line).
stty -F /dev/tty1 icanon echo icrnl -inlcr -igncr -istrip -isig -iexten -ixon -ixoff
# No screen blanking, no VESA powerdown; clear the BIOS text off the screen.
printf '\033[9;0]\033[14;0]\033[H\033[2J' > /dev/tty1
echo VNCBOT-GUEST-READY > /dev/ttyS0
EOF

    # The line reader on tty1: each line typed at the console goes to the serial port as
    # LINE:<the line>, byte for byte.
    cat > "$root/etc/vncbot/reader" << 'EOF'
#!/bin/sh
exec 3> /dev/ttyS0
stty raw -echo <&3
# init reset this tty to "sane" before starting us: set it up again (as rcS did).
stty icanon echo icrnl -inlcr -igncr -istrip -isig -iexten -ixon -ixoff
while :; do
    printf 'vncbot-guest> '
    IFS= read -r line || exit 0
    printf 'LINE:%s\n' "$line" >&3
done
EOF

    cat > "$root/etc/vncbot/ctrlaltdel" << 'EOF'
#!/bin/sh
echo VNCBOT-CTRL-ALT-DEL > /dev/ttyS0
EOF
    chmod 755 "$root/init" "$root"/etc/vncbot/*
}

build_initrd() {
    local want have=
    want="busybox $(sha256sum < "$BUSYBOX" | cut -d' ' -f1) script $(sha256sum < "$SELF" | cut -d' ' -f1)"
    [[ -s $OUTDIR/initrd.stamp ]] && have=$(cat "$OUTDIR/initrd.stamp")
    if [[ -s $OUTDIR/initrd.gz && $have == "$want" ]]; then
        say "initrd up to date"
        return 0
    fi
    local root=$WORK/root applet
    write_guest_files "$root"
    cp "$BUSYBOX" "$root/bin/busybox"
    for applet in $("$BUSYBOX" --list); do
        [[ $applet == busybox || $applet == */* || -e $root/bin/$applet ]] && continue
        ln -s busybox "$root/bin/$applet"
    done
    ln -sf ../bin/busybox "$root/sbin/init"
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n) \
        > "$WORK/initrd.gz" || die "packing the initramfs failed"
    rm -f -- "$OUTDIR/initrd.stamp"
    mv -f -- "$WORK/initrd.gz" "$OUTDIR/initrd.gz"
    printf '%s\n' "$want" > "$OUTDIR/initrd.stamp"
    say "initrd: $OUTDIR/initrd.gz ($(stat -c %s "$OUTDIR/initrd.gz") bytes)"
}

build_kernel
build_initrd
printf '%s\n' "$OUTDIR"
