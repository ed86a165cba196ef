/** IP addresses (IPv4 and IPv6, no DNS ever), CIDR blocks and sets, and the internal/external classification. */
package io.scanwatch.net;
