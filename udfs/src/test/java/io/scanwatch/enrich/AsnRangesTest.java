package io.scanwatch.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AS numbers by range: IPv4 and IPv6, quoted names, gaps, and lines that are not ranges. */
class AsnRangesTest {
    static final Path DATABASES =
            Path.of("../../shared/datasets/ip_location_db").normalize();

    @TempDir
    Path dir;

    private AsnRanges load(String csv) throws IOException {
        Path file = dir.resolve("asn.csv");
        Files.writeString(file, csv);
        return AsnRanges.load(List.of(file));
    }

    @Test
    void findsTheRangeThatHoldsAnAddressAndNothingInAGap() throws IOException {
        AsnRanges ranges = load("""
                79.124.63.0,79.124.67.255,31083,Telepoint Ltd
                79.124.62.0,79.124.62.255,207812,DM AUTO EOOD
                162.142.0.0,162.142.7.255,394283,"Beacon Health System, Inc."
                2001:4860::,2001:4860:4804:ffff:ffff:ffff:ffff:ffff,15169,Google LLC

                """);
        assertThat(ranges.size()).isEqualTo(4);
        assertThat(ranges.lookup(IpAddress.parse("79.124.62.34")))
                .isEqualTo(new NetworkFacts(null, null, null, null, 207812L, "DM AUTO EOOD"));
        assertThat(ranges.lookup(IpAddress.parse("79.124.67.255")).asNumber()).isEqualTo(31083L);
        assertThat(ranges.lookup(IpAddress.parse("162.142.3.1")).asOrganization())
                .isEqualTo("Beacon Health System, Inc.");
        assertThat(ranges.lookup(IpAddress.parse("2001:4860:4801::53")).asNumber())
                .isEqualTo(15169L);
        assertThat(ranges.lookup(IpAddress.parse("79.124.68.0"))).isEqualTo(NetworkFacts.NONE);
        assertThat(ranges.lookup(IpAddress.parse("1.1.1.1"))).isEqualTo(NetworkFacts.NONE);
        assertThat(ranges.lookup(IpAddress.parse("::ffff:79.124.62.1")).asNumber())
                .as("an IPv4-mapped address is that IPv4 host")
                .isEqualTo(207812L);
    }

    @Test
    void anUnquotedNameKeepsItsCommasAndAsZeroIsNoAs() throws IOException {
        AsnRanges ranges = load("""
                79.124.62.0,79.124.62.255,207812,DM AUTO, EOOD
                100.0.0.0,100.0.0.255,0,Not routed
                """);
        assertThat(ranges.lookup(IpAddress.parse("79.124.62.34")).asOrganization())
                .isEqualTo("DM AUTO, EOOD");
        assertThat(ranges.lookup(IpAddress.parse("100.0.0.1"))).isEqualTo(NetworkFacts.NONE);
    }

    @Test
    void aFileWithoutRangesFailsTheLoad() {
        assertThatThrownBy(() -> load("\n\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds no AS ranges");
    }

    @Test
    void aLineThatIsNoRangeFailsTheLoadWithItsNumber() {
        assertThatThrownBy(() -> load("1.0.0.0,1.0.0.255,13335,Cloudflare\n1.0.4.0,1.0.7.255,AS-38803,Gtelecom\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("'AS-38803' is no AS number");
        assertThatThrownBy(() -> load("1.0.0.9,1.0.0.1,13335,Backwards\n")).hasMessageContaining("is no range");
        assertThatThrownBy(() -> load("1.0.0.0,2001:db8::,13335,Mixed\n")).hasMessageContaining("is no range");
        assertThatThrownBy(() -> load("1.0.0.0,1.0.0.255,13335,Cloudflare\nnot,an,address\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> load("8.8.8.0,8.8.8.255,-15169,Negative\n"))
                .hasMessageContaining("line 1: '-15169' is no AS number: a whole number from 0 to 4294967295, alone or"
                        + " after AS");
        assertThatThrownBy(() -> load("8.8.8.0,8.8.8.255,4294967296,Too large\n"))
                .hasMessageContaining("'4294967296' is no AS number");
    }

    @Test
    void aHeaderOfColumnNamesAndAByteOrderMarkAreNoRanges() throws IOException {
        AsnRanges ranges = load("\uFEFFfirst,last,number,organisation\n8.8.8.0,8.8.8.255,4294967295,Last AS\n");
        assertThat(ranges.size()).isEqualTo(1);
        assertThat(ranges.lookup(IpAddress.parse("8.8.8.8")).asNumber()).isEqualTo(4294967295L);
        assertThat(load("\uFEFF8.8.8.0,8.8.8.255,15169,Google LLC\n")
                        .lookup(IpAddress.parse("8.8.8.8"))
                        .asNumber())
                .as("a mark before the first range")
                .isEqualTo(15169L);
        assertThatThrownBy(() -> load("first,last,number,organisation\n")).hasMessageContaining("holds no AS ranges");
        assertThat(load("start_ip,end_ip,asn,name\n1.0.4.0,1.0.7.255,AS38803,Gtelecom\n")
                        .lookup(IpAddress.parse("1.0.5.1"))
                        .asNumber())
                .as("ipinfo's layout: its header, AS numbers after AS")
                .isEqualTo(38803L);
        assertThatThrownBy(() -> load("first,last,number,organisation\nnot,an,address\n"))
                .as("only the first line may be a header")
                .hasMessageContaining("line 2");
    }

    @Test
    void readsTheRealIpv4AndIpv6Tables() throws IOException {
        assumeTrue(Files.isDirectory(DATABASES), "shared/datasets is not beside this checkout");
        AsnRanges ranges =
                AsnRanges.load(List.of(DATABASES.resolve("asn-ipv4.csv"), DATABASES.resolve("asn-ipv6.csv")));
        assertThat(ranges.size()).isGreaterThan(500_000);
        assertThat(ranges.lookup(IpAddress.parse("79.124.62.34")).asNumber()).isEqualTo(207812L);
        assertThat(ranges.lookup(IpAddress.parse("2001:4860:4860::8888")).asOrganization())
                .isEqualTo("Google LLC");
        assertThat(ranges.lookup(IpAddress.parse("10.1.2.3"))).isEqualTo(NetworkFacts.NONE);
    }
}
