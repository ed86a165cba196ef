# Sourced by the make-*.sh scripts that run Debian 13's tools (OpenSSH 10, systemd-journald, rsyslog, nfdump
# 1.7.5, Suricata 7.0). Sets $here (the scripts' folder), $out (the script's first argument, else $here), $work (a scratch folder,
# removed at exit) and $root: a Debian trixie root made with debootstrap from Debian's archive under $work, or
# TRIXIE_ROOT, one made before with the packages below. Needs root and debootstrap.
here=$(dirname "$(realpath "$0")")
out=$(realpath "${1:-$here}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trixie_packages=openssh-server,openssh-client,rsyslog,systemd,sshpass,iptables,nmap,nfdump,suricata
root=${TRIXIE_ROOT:-$work/root}
if [ ! -x "$root/usr/sbin/sshd" ] || [ ! -x "$root/usr/bin/nfdump" ] || [ ! -x "$root/usr/lib/systemd/systemd-journald" ] \
    || [ ! -x "$root/usr/bin/suricata" ]; then
    if [ -n "${TRIXIE_ROOT:-}" ]; then
        echo "TRIXIE_ROOT=$TRIXIE_ROOT lacks some of $trixie_packages: install them in it, or leave TRIXIE_ROOT unset" >&2
        exit 2
    fi
    debootstrap --variant=minbase --include="$trixie_packages" trixie "$root" http://deb.debian.org/debian >/dev/null
fi
