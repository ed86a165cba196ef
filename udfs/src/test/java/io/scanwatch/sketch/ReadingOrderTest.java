package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadingOrderTest {
    private static List<String> sorted(String... keys) {
        List<String> list = new ArrayList<>(List.of(keys));
        list.sort(ReadingOrder.INSTANCE);
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
        assertThat(sorted("10.0.0.10:22", "10.0.0.2:8080", "10.0.0.2:443", "10.0.0.2:53/udp"))
                .containsExactly("10.0.0.2:53/udp", "10.0.0.2:443", "10.0.0.2:8080", "10.0.0.10:22");
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
        assertThat(ReadingOrder.INSTANCE.compare("007", "7")).isNotZero();
        assertThat(ReadingOrder.INSTANCE.compare("7", "7")).isZero();
    }

    @Test
    void numbersLongerThanALongStillCompare() {
        assertThat(sorted("100000000000000000000000", "99999999999999999999999"))
                .containsExactly("99999999999999999999999", "100000000000000000000000");
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
