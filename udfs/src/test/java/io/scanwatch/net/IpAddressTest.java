package io.scanwatch.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "010.0.0.1, 10.0.0.1",
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
                ":1",
                "1:"
            })
    void rejectsWhatIsNotALiteral(String text) {
        assertThat(IpAddress.tryParse(text)).isNull();
        assertThatThrownBy(() -> IpAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
