#!/usr/bin/env bash
# Makes a syslog collector's file and a journal export with the real daemons, as a current Debian runs them:
# OpenSSH 10.0 (whose per-connection lines come from sshd-session) and the kernel's netfilter LOG lines go to
# systemd-journald, which forwards to rsyslog; rsyslog writes every facility into one file, as a collector does
# (collector-syslog.log), and journalctl prints the same events as JSON (journal.json). An Internet host scans the
# bastion's ports (the firewall logs each dropped SYN), guesses passwords over SSH, and gets in; an administrator
# logs in from inside. Needs root, iproute2, unshare and debootstrap (the daemons run in a Debian trixie root, see
# trixie-root.sh). Traffic never leaves the namespaces this script creates. Usage: make-syslog.sh [output dir]
set -euo pipefail
# shellcheck source=trixie-root.sh
source "$(dirname "$(realpath "$0")")/trixie-root.sh"
namespaces=(sl-internet sl-bastion)
log_all_netns=$(cat /proc/sys/net/netfilter/nf_log_all_netns)

journald=
cleanup() {
    for daemon in sl-sshd sl-rsyslogd; do
        [ -f "$root/run/$daemon.pid" ] && kill "$(cat "$root/run/$daemon.pid")" 2>/dev/null || true
    done
    [ -n "$journald" ] && kill "$journald" 2>/dev/null || true
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    echo "$log_all_netns" > /proc/sys/net/netfilter/nf_log_all_netns
    wait 2>/dev/null || true
    for mount in sys dev/pts proc; do umount -R "$root/$mount" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
in_root() { chroot "$root" "$@"; }
on() { local ns=$1; shift; ip netns exec "sl-$ns" chroot "$root" "$@"; }

# The root's own /dev (debootstrap made its nodes) with ptys of its own for sshpass, the kernel's log for journald
# and rsyslog, and /sys for journald's cgroups.
mount -t proc proc "$root/proc"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
ln -sf pts/ptmx "$root/dev/ptmx"
[ -c "$root/dev/kmsg" ] || mknod -m 600 "$root/dev/kmsg" c 1 11
mount --rbind /sys "$root/sys"
in_root sh -c 'mkdir -p /run/sshd && ssh-keygen -A >/dev/null
    id alice >/dev/null 2>&1 || useradd -m -s /bin/sh alice; echo alice:correct-horse | chpasswd
    id ops >/dev/null 2>&1 || useradd -m -s /bin/sh ops; echo ops:ops-passphrase | chpasswd'

# The Internet side (the scanner, and the administrator's VPN address routed beside it) and the bastion.
ip netns add sl-internet
ip netns add sl-bastion
ip link add eth0 netns sl-internet type veth peer name eth0 netns sl-bastion
ip netns exec sl-internet ip addr add 203.0.113.70/24 dev eth0
ip netns exec sl-internet ip addr add 10.40.8.9/24 dev eth0
ip netns exec sl-bastion ip addr add 10.40.0.2/24 dev eth0
for ns in "${namespaces[@]}"; do
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip link set eth0 up
done
ip netns exec sl-internet ip route add 10.40.0.0/24 dev eth0
ip netns exec sl-bastion ip route add 203.0.113.0/24 dev eth0
ip netns exec sl-bastion ip route add 10.40.8.0/24 dev eth0

# The bastion's firewall lets SSH in and logs every other SYN it drops; the kernel logs for this namespace too.
echo 1 > /proc/sys/net/netfilter/nf_log_all_netns
on bastion iptables -A INPUT -p tcp --syn --dport 22 -j ACCEPT
on bastion iptables -A INPUT -p tcp --syn -j LOG --log-prefix "DROP-IN "
on bastion iptables -A INPUT -p tcp --syn -j DROP

# journald, on the host name the bastion's lines carry, takes /dev/log and forwards to rsyslog. Audit=no: with no
# audit daemon, the auditing journald turns on by default would fill the kernel's log. The setting is the kernel's,
# not the namespace's: on a machine whose audit daemon relies on it, turn it on again afterwards (auditctl -e 1).
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToSyslog=yes\nRateLimitBurst=0\nAudit=no\n' \
    > "$root/etc/systemd/journald.conf.d/make-syslog.conf"
rm -rf "$root/run/log/journal" "$root/run/systemd/journal" "$root"/run/sl-*.pid
ln -sf /run/systemd/journal/dev-log "$root/dev/log"
unshare --uts chroot "$root" sh -c 'echo bastion > /proc/sys/kernel/hostname && exec /usr/lib/systemd/systemd-journald' \
    >/dev/null 2>&1 &
journald=$!
until [ -S "$root/run/systemd/journal/dev-log" ]; do sleep 0.2; done

# rsyslog as a collector: every facility into one file, stamped as rsyslog's default (RFC 3339) stamps them. It
# takes what journald forwards, and the kernel's lines itself.
cat > "$root/etc/rsyslog.conf" <<'EOF'
global(localHostname="bastion")
module(load="imuxsock" SysSock.Name="/run/systemd/journal/syslog")
module(load="imklog")
$WorkDirectory /var/spool/rsyslog
*.* /var/log/collector.log
EOF
rm -f "$root/var/log/collector.log"
in_root rsyslogd -f /etc/rsyslog.conf -i /run/sl-rsyslogd.pid
# imklog first replays the kernel's ring buffer since boot: this machine's lines, not the scenario's. The file
# starts after they have been written.
skip=-1
until [ -s "$root/var/log/collector.log" ] && [ "$skip" = "$(wc -l < "$root/var/log/collector.log")" ]; do
    skip=$(wc -l 2>/dev/null < "$root/var/log/collector.log" || echo -1)
    sleep 2
done
start=$(date +%s)

cat > "$root/etc/ssh/sl-sshd_config" <<'EOF'
ListenAddress 10.40.0.2
PasswordAuthentication yes
MaxAuthTries 3
PidFile /run/sl-sshd.pid
Include /etc/ssh/sshd_config
EOF
on bastion /usr/sbin/sshd -f /etc/ssh/sl-sshd_config
until on internet bash -c 'exec 3<>/dev/tcp/10.40.0.2/22' 2>/dev/null; do sleep 0.2; done

ssh_as() {
    local from=$1 user=$2 password=$3
    on internet sshpass -p "$password" ssh -b "$from" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o PreferredAuthentications=password -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
        "$user@10.40.0.2" true >/dev/null 2>&1
}
# The administrator, from inside: one login.
ssh_as 10.40.8.9 ops ops-passphrase
# The scanner: the bastion's first 150 TCP ports (22 answers), then password guesses for five accounts. After a
# few failures OpenSSH's per-source penalties refuse its connections for a while ("drop connection ... penalty").
on internet nmap -sS -Pn -n -p 1-150 --max-retries 0 -S 203.0.113.70 -e eth0 10.40.0.2 >/dev/null
for user in root admin oracle ubuntu alice; do
    for password in 123456 password letmein; do
        ssh_as 203.0.113.70 "$user" "$password" || true
    done
done
# Then it gets in, once the penalty has passed.
until ssh_as 203.0.113.70 alice correct-horse; do sleep 5; done
sleep 1

tail -n +$((skip + 1)) "$root/var/log/collector.log" > "$out/collector-syslog.log"
in_root journalctl --since "@$start" -o json --no-pager > "$out/journal.json"
echo "wrote $(wc -l < "$out/collector-syslog.log") lines to $out/collector-syslog.log" \
    "and $(wc -l < "$out/journal.json") to $out/journal.json"
