package io.scanwatch.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses no network holds, and their neighbours and private ranges, which a site's own files may place. */
class SpecialPurposeBlocksTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.0.2.1",
                "198.51.100.200",
                "203.0.113.50",
                "198.18.0.7",
                "198.19.255.255",
                "127.0.0.1",
                "169.254.1.1",
                "0.1.2.3",
                "224.0.0.251",
                "255.255.255.255",
                "::",
                "::1",
                "2001:db8:66::7",
                "2001:2::1",
                "3fff::1",
                "fe80::1",
                "ff02::1",
                "::ffff:203.0.113.9"
            })
    void holdsWhatNoNetworkHolds(String address) {
        assertThat(SpecialPurposeBlocks.contains(IpAddress.parse(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "203.0.114.1",
                "198.20.0.1",
                "8.8.8.8",
                "10.1.2.3",
                "192.168.1.1",
                "100.64.0.1",
                "fd00::1",
                "2001:db9::1",
                "2001:4860:4860::8888"
            })
    void leavesPublicAndPrivateRanges(String address) {
        assertThat(SpecialPurposeBlocks.contains(IpAddress.parse(address))).isFalse();
    }
}
