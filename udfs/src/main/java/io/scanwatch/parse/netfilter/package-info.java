/** iptables/nftables LOG lines in syslog. */
package io.scanwatch.parse.netfilter;
