package io.scanwatch.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real MaxMind-format database (ip-location-db's country file), and the databases asked in order. */
class MmdbFactsTest {
    private static final Path COUNTRIES = AsnRangesTest.DATABASES.resolve("geo-whois-asn-country.mmdb");

    @Test
    void looksUpIpv4AndIpv6AndSaysNothingOfPrivateAddresses() throws IOException {
        assumeTrue(Files.exists(COUNTRIES), "shared/datasets is not beside this checkout");
        try (MmdbFacts countries = new MmdbFacts(COUNTRIES)) {
            assertThat(countries.lookup(IpAddress.parse("79.124.62.34")).countryIsoCode())
                    .isEqualTo("BG");
            assertThat(countries.lookup(IpAddress.parse("2001:4860:4860::8888")).countryIsoCode())
                    .isEqualTo("US");
            assertThat(countries.lookup(IpAddress.parse("::ffff:79.124.62.34")).countryIsoCode())
                    .isEqualTo("BG");
            assertThat(countries.lookup(IpAddress.parse("10.1.2.3"))).isEqualTo(NetworkFacts.NONE);
            assertThat(countries.lookup(IpAddress.parse("fd00::1"))).isEqualTo(NetworkFacts.NONE);
        }
    }

    @Test
    void eachFactComesFromTheFirstDatabaseThatKnowsIt() throws IOException {
        assumeTrue(Files.exists(COUNTRIES), "shared/datasets is not beside this checkout");
        try (AddressFacts facts = AddressFacts.open(
                List.of(COUNTRIES),
                List.of(
                        AsnRangesTest.DATABASES.resolve("asn-ipv4.csv"),
                        AsnRangesTest.DATABASES.resolve("asn-ipv6.csv")))) {
            NetworkFacts scanner = facts.lookup(IpAddress.parse("79.124.62.34"));
            assertThat(scanner.countryIsoCode()).isEqualTo("BG");
            assertThat(scanner.asNumber()).isEqualTo(207812L);
            assertThat(scanner.asOrganization()).isEqualTo("DM AUTO EOOD");
            assertThat(scanner.cityName()).as("not in a country database").isNull();
        }
    }
}
