package io.scanwatch.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "79.124.62.34, 24, 64, 79.124.62.0/24",
        "79.124.62.34, 16, 64, 79.124.0.0/16",
        "79.124.62.34, 32, 64, 79.124.62.34/32",
        "::ffff:162.142.125.7, 24, 64, 162.142.125.0/24",
        "2001:db8:1:2:3:4:5:6, 24, 64, 2001:db8:1:2::/64",
        "2001:db8:1:2:3:4:5:6, 24, 48, 2001:db8:1::/48",
        "2001:db8:1:2:3:4:5:6, 24, 100, 2001:db8:1:2:3:4::/100",
        "2001:db8::1, 24, 0, ::/0"
    })
    void namesTheNetworkOfAnAddress(String address, int v4Bits, int v6Bits, String network) {
        assertThat(IpAddress.parse(address).network(v4Bits, v6Bits)).isEqualTo(network);
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "010.0.0.1, 10.0.0.1",
        "1.2.3.04, 1.2.3.4",
        "00.1.2.3, 0.1.2.3",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8::1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "::, ::",
        "::1, ::1",
        "fe80::1%eth0, fe80::1",
        "::ffff:192.0.2.1, 192.0.2.1",
        "::FFFF:c000:0201, 192.0.2.1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1"
    })
    void writesTheCanonicalForm(String text, String canonical) {
        assertThat(IpAddress.canonical(text)).isEqualTo(canonical);
        assertThat(IpAddress.tryCanonical(text)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "10.20.30.40", "255.255.255.255", "2001:db8::1"})
    void returnsCanonicalTextAsItIs(String text) {
        assertThat(IpAddress.tryCanonical(text)).isSameAs(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "1.2.3.-4",
                "a.b.c.d",
                "1.2.3.4 ",
                "localhost",
                "example.com",
                ":::",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "12345::",
                "::g",
                "1.2.3.4/8",
                "1.2.3.4.",
                ".1.2.3.4",
                "1..2.3",
                "1.2.3.1000",
                "1234.1.2.3",
                ":1",
                "1:"
            })
    void rejectsWhatIsNotALiteral(String text) {
        assertThat(IpAddress.tryParse(text)).isNull();
        assertThat(IpAddress.tryCanonical(text)).isNull();
        assertThatThrownBy(() -> IpAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
