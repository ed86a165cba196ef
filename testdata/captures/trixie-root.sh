# Sourced by the make-*.sh scripts that run Debian 13's tools (OpenSSH 10, rsyslog, nfdump 1.7.5): sets $root to
# a Debian trixie root made with debootstrap from Debian's archive under $work, or to TRIXIE_ROOT, one made before
# (with the packages below). Needs root and debootstrap.
trixie_packages=openssh-server,openssh-client,rsyslog,systemd,sshpass,iptables,nmap,nfdump
root=${TRIXIE_ROOT:-$work/root}
if [ ! -x "$root/usr/sbin/sshd" ] || [ ! -x "$root/usr/bin/nfdump" ] || [ ! -x "$root/usr/lib/systemd/systemd-journald" ]; then
    if [ -n "${TRIXIE_ROOT:-}" ]; then
        echo "TRIXIE_ROOT=$TRIXIE_ROOT lacks some of $trixie_packages: install them in it, or leave TRIXIE_ROOT unset" >&2
        exit 2
    fi
    debootstrap --variant=minbase --include="$trixie_packages" trixie "$root" http://deb.debian.org/debian >/dev/null
fi
