package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadingOrderTest {
    private static final Comparator<String> ORDER = Comparator.comparing(ReadingOrder::place);

    private static List<String> sorted(String... keys) {
        List<String> list = new ArrayList<>(List.of(keys));
        list.sort(ORDER);
        return list;
    }

    @Test
    void portsGoByTheirValue() {
        assertThat(sorted("1000", "22", "3", "65535", "443")).containsExactly("3", "22", "443", "1000", "65535");
    }

    @Test
    void addressesGoOctetByOctet() {
        assertThat(sorted("10.0.0.10", "10.0.0.2", "9.255.255.255", "10.0.1.1", "10.0.0.100"))
                .containsExactly("9.255.255.255", "10.0.0.2", "10.0.0.10", "10.0.0.100", "10.0.1.1");
    }

    @Test
    void servicesGoByAddressThenPort() {
        assertThat(sorted("10.0.0.10:22", "10.0.0.2:8080", "10.0.0.2:443", "10.0.0.2/icmp"))
                .containsExactly("10.0.0.2/icmp", "10.0.0.2:443", "10.0.0.2:8080", "10.0.0.10:22");
    }

    @Test
    void ipv6GoesByTheAddressNotItsHexDigitsAsText() {
        assertThat(sorted("2001:db8::10", "2001:db8::a", "2001:db8::9", "2001:db8::1:0", "2001:db8::f"))
                .containsExactly("2001:db8::9", "2001:db8::a", "2001:db8::f", "2001:db8::10", "2001:db8::1:0");
        assertThat(sorted("[2001:db8::10]:22", "[2001:db8::a]:443", "[2001:db8::a]:22", "2001:db8::b/udp"))
                .containsExactly("[2001:db8::a]:22", "[2001:db8::a]:443", "2001:db8::b/udp", "[2001:db8::10]:22");
    }

    @Test
    void aPrefixComesFirstAndLeadingZerosDoNotTie() {
        assertThat(sorted("ab1", "ab", "007", "7", "a")).containsExactly("007", "7", "a", "ab", "ab1");
        assertThat(ORDER.compare("007", "7")).isNotZero();
        assertThat(ORDER.compare("7", "7")).isZero();
    }

    @Test
    void numbersLongerThanALongStillCompare() {
        assertThat(sorted("100000000000000000000000", "99999999999999999999999"))
                .containsExactly("99999999999999999999999", "100000000000000000000000");
    }

    /**
     * A comparator that is not a total order makes Java's sort throw at 32 keys or more, now and then: addresses and
     * other keys mixed (a user name beside a host, a NAT64 address beside an IPv4 one) must still be ordered.
     */
    @Test
    void mixedKeysAreATotalOrder() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            keys.add("10.0.0." + i);
            keys.add("10.0.0." + i + "x");
            keys.add("::" + Integer.toHexString(i * 7));
            keys.add("::" + Integer.toHexString(i * 7) + "z");
            keys.add("64:ff9b::" + i);
            keys.add(i + "00-web");
        }
        java.util.Random random = new java.util.Random(7);
        List<String> first = null;
        for (int round = 0; round < 200; round++) {
            java.util.Collections.shuffle(keys, random);
            List<String> sorted = new ArrayList<>(keys);
            sorted.sort(ORDER);
            if (first == null) {
                first = sorted;
            }
            assertThat(sorted).as("the same order from any shuffle").isEqualTo(first);
        }
        for (String a : keys) {
            for (String b : keys) {
                assertThat(Integer.signum(ORDER.compare(a, b))).isEqualTo(-Integer.signum(ORDER.compare(b, a)));
                for (String c : keys.subList(0, 24)) {
                    if (ORDER.compare(a, b) < 0 && ORDER.compare(b, c) < 0) {
                        assertThat(ORDER.compare(a, c))
                                .as(a + " < " + b + " < " + c)
                                .isNegative();
                    }
                }
            }
        }
        assertThat(first.subList(0, 3)).containsExactly("::0", "::7", "::e");
    }

    @Test
    void aSetsTiesComeInReadingOrder() {
        CappedCounts ports = new CappedCounts();
        for (String port : List.of("1000", "22", "3389", "80", "443")) {
            ports.add(port, 1, 64);
        }
        ports.add("8080", 2, 64);
        assertThat(ports.top(4)).extracting(Map.Entry::getKey).containsExactly("8080", "22", "80", "443");
    }
}
