#!/usr/bin/env bash
# Exports capture.pcap again with Debian 13's nfdump 1.7.5, whose CSV names its columns (firstSeen, srcAddr, ...)
# and whose own -o csv leaves out the TCP flags: nfpcapd as make-captures.sh runs it, then the flows as CSV with
# the flags (-o 'csv:...') and as one JSON object per line (-o ndjson). Needs root and debootstrap (nfdump runs in
# a Debian trixie root, see trixie-root.sh). Usage: make-nfdump-1.7.5.sh [output dir]
set -euo pipefail
# shellcheck source=trixie-root.sh
source "$(dirname "$(realpath "$0")")/trixie-root.sh"
trap 'rm -rf "$work" "$root/tmp/export"' EXIT

mkdir -p "$root/tmp/export/flows"
cp "$here/capture.pcap" "$root/tmp/export/"
chroot "$root" nfpcapd -r /tmp/export/capture.pcap -w /tmp/export/flows -e 60,15 >/dev/null 2>&1
chroot "$root" nfdump -q -R /tmp/export/flows -o 'csv:%ts,%te,%td,%sa,%da,%sp,%dp,%pr,%flg,%ipkt,%ibyt,%opkt,%obyt' \
    > "$out/nfdump-1.7.5-flows.csv"
chroot "$root" nfdump -R /tmp/export/flows -o ndjson > "$out/nfdump-1.7.5-flows.ndjson"
echo "wrote $(grep -c . "$out/nfdump-1.7.5-flows.csv") CSV lines and $(grep -c . "$out/nfdump-1.7.5-flows.ndjson") JSON lines to $out"
