package io.scanwatch.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.event.Direction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkClassifierTest {
    private final NetworkClassifier classifier = new NetworkClassifier(
            CidrSet.of(List.of("10.0.0.0/8", "192.168.1.0/24", "2001:db8:10::/48", "203.0.113.7")),
            CidrSet.of(List.of("10.9.9.0/29")));

    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @Test
    void tellsDirectionFromTheInternalRanges() {
        assertThat(classifier.direction(ip("198.51.100.4"), ip("10.1.2.3"))).isEqualTo(Direction.EXTERNAL_INTERNAL);
        assertThat(classifier.direction(ip("192.168.1.20"), ip("8.8.8.8"))).isEqualTo(Direction.INTERNAL_EXTERNAL);
        assertThat(classifier.direction(ip("10.0.0.1"), ip("192.168.1.255"))).isEqualTo(Direction.INTERNAL_INTERNAL);
        assertThat(classifier.direction(ip("192.168.2.1"), ip("8.8.8.8"))).isEqualTo(Direction.EXTERNAL_EXTERNAL);
        assertThat(classifier.direction(ip("2001:db8:10:ffff::1"), ip("2001:db8:11::1")))
                .isEqualTo(Direction.INTERNAL_EXTERNAL);
        assertThat(classifier.isInternal("203.0.113.7")).isTrue();
        assertThat(classifier.isInternal("203.0.113.8")).isFalse();
    }

    @Test
    void ipv4RangesDoNotMatchIpv6AddressesAndBack() {
        NetworkClassifier everything = new NetworkClassifier(CidrSet.of(List.of("0.0.0.0/0")), CidrSet.of(List.of()));
        assertThat(everything.isInternal("203.0.113.1")).isTrue();
        assertThat(everything.isInternal("2001:db8::1")).isFalse();
        NetworkClassifier allV6 = new NetworkClassifier(CidrSet.of(List.of("::/0")), CidrSet.of(List.of()));
        assertThat(allV6.isInternal("2001:db8::1")).isTrue();
    }

    @Test
    void recognisesAuthorizedScanners() {
        assertThat(classifier.isAuthorizedScanner(ip("10.9.9.7"))).isTrue();
        assertThat(classifier.isAuthorizedScanner(ip("10.9.9.8"))).isFalse();
    }

    @Test
    void survivesJavaSerialisationAsFlinkShipsIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(classifier);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            NetworkClassifier copy = (NetworkClassifier) in.readObject();
            assertThat(copy.direction(ip("198.51.100.4"), ip("10.1.2.3"))).isEqualTo(Direction.EXTERNAL_INTERNAL);
        }
    }

    @Test
    void namesTheBadBlock() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
                .hasMessageContaining("10.0.0.0/33")
                .hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("intranet")).hasMessageContaining("'intranet'");
        for (String malformed :
                new String[] {"10.0.0.0/8/8", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/0008"}) {
            assertThatThrownBy(() -> Cidr.parse(malformed))
                    .hasMessage("'" + malformed + "' is not an address block: a prefix length of 0..32 follows one '/'"
                            + " (expected e.g. 10.0.0.0/8 or fc00::/7)");
        }
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8, 192.168.0.0/16"))
                .as("a YAML string where a list was meant")
                .hasMessageContaining("several address blocks in one: write them as a list");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8\t192.168.0.0/16"))
                .as("blocks a tab apart")
                .hasMessageContaining("several address blocks in one");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8;192.168.0.0/16"))
                .hasMessageContaining("several address blocks in one");
        for (String octal : new String[] {"010.0.0.0/8", "10.0.0.0/08", "::ffff:10.0.0.07/128", "192.168.001.0/24"}) {
            assertThatThrownBy(() -> Cidr.parse(octal))
                    .as("inet_aton reads 010 as 8")
                    .hasMessage("'" + octal + "' has a number with a leading zero, which some tools read as octal:"
                            + " write it without (e.g. 10.0.0.0/8)");
        }
        assertThat(Cidr.parse("0.0.0.0/0").canonical()).as("a zero alone").isEqualTo("0.0.0.0/0");
        assertThat(Cidr.parse("fd00:0000::/8").canonical())
                .as("IPv6's groups may have zeros before")
                .isEqualTo("fd00::/8");
    }

    @Test
    void aBlockHoldsAddressesOfItsOwnFamilyOnly() {
        assertThat(Cidr.parse("::/0").contains(ip("10.1.2.3")))
                .as("IPv4 is kept IPv4-mapped, yet no IPv6 block holds it")
                .isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("10.20.0.250").canonical()).isEqualTo("10.20.0.250/32");
        assertThat(Cidr.parse("2001:DB8:0::/48").canonical()).isEqualTo("2001:db8::/48");
    }

    /** Written as IPv6, an IPv4 address keeps IPv6's prefix lengths: /128 was refused as "outside 0..32". */
    @Test
    void anIpv4AddressWrittenAsIpv6TakesIpv6PrefixLengths() {
        Cidr one = Cidr.parse("::ffff:79.124.62.34/128");
        assertThat(one.contains(ip("79.124.62.34"))).isTrue();
        assertThat(one.contains(ip("79.124.62.35"))).isFalse();
        assertThat(one.canonical()).isEqualTo(Cidr.parse("79.124.62.34/32").canonical());
        assertThat(Cidr.parse("::ffff:79.124.62.0/120").contains(ip("79.124.62.200")))
                .isTrue();
        assertThatThrownBy(() -> Cidr.parse("::ffff:79.124.62.34/64"))
                .hasMessage("'::ffff:79.124.62.34/64' is an IPv4 address written as IPv6: its prefix length runs from"
                        + " 96 to 128 (/128 for the one address), or write it as IPv4 (79.124.62.34/32)");
    }

    /** An allow-list's 10.20.0.0/8, meant as a /16, would otherwise silence all of 10.0.0.0/8. */
    @Test
    void aBlockWithBitsSetPastItsPrefixIsRefused() {
        assertThatThrownBy(() -> Cidr.parse("10.20.0.0/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'10.20.0.0/8' has bits set past its prefix: a /8 starts at 10.0.0.0 (write 10.0.0.0/8 if"
                        + " that is meant), or give 10.20.0.0 the prefix length meant for it");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/64")).hasMessageContaining("write 2001:db8::/64");
        assertThat(Cidr.parse("10.20.0.0/16").canonical()).isEqualTo("10.20.0.0/16");
        assertThat(Cidr.parse("10.20.0.0/14").canonical()).isEqualTo("10.20.0.0/14");
        assertThatThrownBy(() -> Cidr.parse("fe80::1%eth0/64")).hasMessageContaining("is not an address block");
    }
}
