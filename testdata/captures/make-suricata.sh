#!/usr/bin/env bash
# Reads capture.pcap with Debian 13's Suricata 7.0 as a sensor reads the wire, into suricata-7.0-eve.json: eve.json
# as Suricata's default configuration writes it (flow, dns, anomaly, stats and the other event types), with the
# capture's LAN as HOME_NET. Needs root and debootstrap (Suricata runs in a Debian trixie root, see trixie-root.sh).
# Usage: make-suricata.sh [output dir]
set -euo pipefail
# shellcheck source=trixie-root.sh
source "$(dirname "$(realpath "$0")")/trixie-root.sh"
trap 'rm -rf "$work" "$root/tmp/suricata"' EXIT

# A folder of its own: eve.json is appended to, and a second run into the same one would log every flow twice.
rm -rf "$root/tmp/suricata"
mkdir -p "$root/tmp/suricata"
cp "$here/capture.pcap" "$root/tmp/suricata/"
chroot "$root" suricata -r /tmp/suricata/capture.pcap -l /tmp/suricata -k none --runmode single \
    --set 'vars.address-groups.HOME_NET=[10.30.0.0/16]' >/dev/null
cp "$root/tmp/suricata/eve.json" "$out/suricata-7.0-eve.json"
echo "wrote $(grep -c '"event_type":"flow"' "$out/suricata-7.0-eve.json") flows to $out/suricata-7.0-eve.json"
