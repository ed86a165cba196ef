package io.scanwatch.net;

import java.util.List;

/**
 * Blocks IANA's special-purpose registries set aside so that no network anywhere holds them: documentation,
 * benchmarking, loopback, link-local, multicast, unspecified and reserved addresses. A geolocation database that
 * places one (ip-location-db puts 203.0.113.0/24 in Australia, after its registry's record of the test network)
 * tells an analyst something false. Private and shared ranges (RFC 1918, 100.64.0.0/10, fc00::/7) are not among
 * them: a site's own AS or location file may place them.
 */
public final class SpecialPurposeBlocks {
    private static final CidrSet BLOCKS = CidrSet.of(List.of(
            "0.0.0.0/8",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "192.0.2.0/24",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/127",
            "100::/64",
            "2001:2::/48",
            "2001:db8::/32",
            "3fff::/20",
            "fe80::/10",
            "ff00::/8"));

    private SpecialPurposeBlocks() {}

    public static boolean contains(IpAddress address) {
        return BLOCKS.contains(address);
    }
}
