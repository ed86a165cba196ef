#!/usr/bin/env bash
# Makes real scan and benign traffic between private network namespaces, captures it and exports it with the
# real NetFlow exporter: nfpcapd writes one-way flow records as a router would, nfdump prints them.
# Needs root, iproute2, tcpdump, nmap, masscan, ncat, python3, nfdump (apt-get install nmap masscan tcpdump ncat
# nfdump). Traffic never leaves the namespaces this script creates. Usage: make-captures.sh [output dir]
set -euo pipefail
out=$(realpath "${1:-$(dirname "$0")}")
work=$(mktemp -d)
namespaces=(sw-switch sw-internet sw-lan sw-client)
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
on() { local ns=$1; shift; ip netns exec "sw-$ns" "$@"; }

# One switch (a bridge) and three hosts on it: the Internet side (scanners and web servers), the LAN servers and
# an internal client. Each side reaches the other's ranges on the link, without a router.
ip netns add sw-switch
on switch ip link add br0 type bridge
on switch ip link set br0 up
for host in internet lan client; do
    ip netns add "sw-$host"
    ip link add "to-$host" netns sw-switch type veth peer name eth0 netns "sw-$host"
    on switch ip link set "to-$host" master br0 up
    on "$host" ip link set lo up
    on "$host" ip link set eth0 up
done
on internet ip addr add 203.0.113.66/24 dev eth0          # nmap connect scanner
on internet ip addr add 203.0.113.67/24 dev eth0          # masscan SYN scanner
on internet ip addr add 203.0.113.68/24 dev eth0          # nmap UDP scanner
for i in $(seq 101 125); do on internet ip addr add "203.0.113.$i/24" dev eth0; done   # web servers
on internet ip route add 10.30.0.0/16 dev eth0
for i in $(seq 1 40); do on lan ip addr add "10.30.0.$i/16" dev eth0; done
on lan ip route add 203.0.113.0/24 dev eth0
on client ip addr add 10.30.5.10/16 dev eth0
on client ip route add 203.0.113.0/24 dev eth0

# Services (started with ip netns exec directly, so that $! is the server and cleanup can stop it): every LAN address serves HTTP on 80 (nothing listens elsewhere: closed ports answer RST); every
# Internet web server pushes a page as soon as a client connects, the client sends nothing (a download).
mkdir -p "$work/www" && head -c 4000 /dev/urandom | base64 > "$work/www/index.html"
ip netns exec sw-lan python3 -m http.server 80 --directory "$work/www" >/dev/null 2>&1 & pids+=($!)
ip netns exec sw-internet ncat -l -k -p 8080 --send-only -c "head -c 20000 $work/www/index.html" >/dev/null 2>&1 & pids+=($!)
# Every LAN address answers UDP port 53 (a resolver: each datagram gets an answer); UDP 161 is closed everywhere.
# One socket per address, so that each answer comes from the address that was asked, as a resolver's does.
ip netns exec sw-lan python3 -c '
import select, socket
sockets = []
for i in range(1, 41):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.30.0.%d" % i, 53))
    sockets.append(s)
while True:
    for s in select.select(sockets, [], [])[0]:
        data, peer = s.recvfrom(2048)
        s.sendto(data + b"\x00" * 64, peer)
' >/dev/null 2>&1 & pids+=($!)
sleep 1

ip netns exec sw-switch tcpdump -i br0 -w "$work/capture.pcap" -U -s 128 not arp 2>/dev/null & pids+=($!)
capture=$!
sleep 1

# Benign: the internal client downloads from 25 Internet servers in under a minute. Its own flow records show a
# handshake and a close without payload; only the servers' reply records show the data.
for i in $(seq 101 125); do
    on client ncat --recv-only -w 2 "203.0.113.$i" 8080 >/dev/null || true
done
# Benign UDP: 25 Internet hosts each ask the LAN resolver 10.30.0.1 once. Its answers, one-way records of their
# own, go to 25 hosts: read alone, they look like the resolver sweeping the Internet.
on internet python3 -c '
import socket
for i in range(101, 126):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("203.0.113.%d" % i, 0))
    s.settimeout(2)
    s.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01",
             ("10.30.0.1", 53))
    s.recvfrom(2048)
    s.close()
'
# UDP scan: 30 LAN hosts, ports 53 (answers) and 161 (closed: ICMP port unreachable, rate-limited by the kernel).
on internet nmap -n -Pn -sU -p 53,161 --max-retries 1 --max-rate 100 -S 203.0.113.68 -e eth0 10.30.0.1-30 >/dev/null
# Connect scan: 30 LAN hosts, ports 80 (open) and 443 (closed).
on internet nmap -n -Pn -sT -p 80,443 --max-rate 100 10.30.0.1-30 >/dev/null
# SYN scan: 32 hosts (40 up, the rest silent) on five ports; the scanner's kernel resets every SYN-ACK.
mac=$(on lan cat /sys/class/net/eth0/address)
on internet masscan 10.30.0.0/26 -p 22,80,443,3389,8080 --rate 200 --source-ip 203.0.113.67 \
    --router-mac "$mac" --wait 3 -e eth0 >/dev/null 2>&1
sleep 2
# tcpdump writes every packet as it goes (-U); stopping it flushes the file.
kill "$capture"
wait "$capture" 2>/dev/null || true

# nfpcapd expires flows as a router does; nfdump prints them in the order they were written.
mkdir -p "$work/flows"
nfpcapd -r "$work/capture.pcap" -w "$work/flows" -e 60,15 >/dev/null 2>&1
nfdump -q -R "$work/flows" -o csv > "$out/nfpcapd-flows.csv"
nfdump -R "$work/flows" -o json > "$out/nfpcapd-flows.json"
cp "$work/capture.pcap" "$out/capture.pcap"
echo "wrote $(grep -c . "$out/nfpcapd-flows.csv") flow lines to $out"
