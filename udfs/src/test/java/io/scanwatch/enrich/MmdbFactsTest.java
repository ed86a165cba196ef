package io.scanwatch.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void anIpv4DatabaseSaysNothingOfIpv6Addresses(@TempDir Path dir) throws IOException {
        Path ipv4 = dir.resolve("city-ipv4.mmdb");
        TinyMmdb.write(ipv4, 4, "42.0.0.0/8", Map.of("country_code", "CN"));
        try (MmdbFacts cities = new MmdbFacts(ipv4)) {
            assertThat(cities.lookup(IpAddress.parse("42.0.20.80")).countryIsoCode())
                    .isEqualTo("CN");
            assertThat(cities.lookup(IpAddress.parse("2a00:1450:4001::1")))
                    .as("its first 32 bits are 42.0.20.80: the reader would answer for them")
                    .isEqualTo(NetworkFacts.NONE);
            assertThat(cities.lookup(IpAddress.parse("::ffff:42.0.20.80")).countryIsoCode())
                    .as("an IPv4 address written as IPv6")
                    .isEqualTo("CN");
        }
    }

    @Test
    void aPointOffTheGlobeIsNoPlaceAndAnAsNumberIsA32BitOne() {
        NetworkFacts offTheGlobe =
                MmdbFacts.facts(Map.of("country_code", "US", "latitude", 999.0, "longitude", -999.0));
        assertThat(offTheGlobe.countryIsoCode()).isEqualTo("US");
        assertThat(offTheGlobe.latitude()).isNull();
        assertThat(offTheGlobe.longitude()).isNull();
        assertThat(MmdbFacts.facts(Map.of("latitude", -90.0, "longitude", 180.0))
                        .latitude())
                .isEqualTo(-90.0);
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", -15169)).asNumber())
                .isNull();
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", 99_999_999_999L))
                        .asNumber())
                .isNull();
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", 4_294_967_295L))
                        .asNumber())
                .isEqualTo(4_294_967_295L);
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", new java.math.BigInteger("207812")))
                        .asNumber())
                .isEqualTo(207812L);
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", "AS207812"))
                        .asNumber())
                .as("written as text")
                .isEqualTo(207812L);
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", "207812")).asNumber())
                .isEqualTo(207812L);
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", "ASN")).asNumber())
                .isNull();
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

    @Test
    void specialPurposeAddressesAreNotPlacedThoughADatabaseHoldsThem() throws IOException {
        assumeTrue(Files.exists(COUNTRIES), "shared/datasets is not beside this checkout");
        try (MmdbFacts countries = new MmdbFacts(COUNTRIES);
                AddressFacts facts = AddressFacts.open(List.of(COUNTRIES), List.of())) {
            for (String documentation : List.of("203.0.113.50", "2001:db8:66::7")) {
                assertThat(countries.lookup(IpAddress.parse(documentation)).countryIsoCode())
                        .as("the database places %s", documentation)
                        .isNotNull();
                assertThat(facts.lookup(IpAddress.parse(documentation))).isEqualTo(NetworkFacts.NONE);
            }
            assertThat(facts.lookup(IpAddress.parse("203.0.114.1")).countryIsoCode())
                    .as("the block's neighbour is an address like any other")
                    .isNotNull();
        }
    }

    @Test
    void aDatabaseReplacedOnDiskIsOpenedAgain(@TempDir Path dir) throws IOException {
        assumeTrue(Files.exists(COUNTRIES), "shared/datasets is not beside this checkout");
        Path geo = dir.resolve("geo.mmdb");
        Files.copy(COUNTRIES, geo);
        Path asn = dir.resolve("asn.csv");
        Files.writeString(asn, "79.124.62.0,79.124.62.255,207812,DM AUTO EOOD\n");
        try (AddressFacts facts = AddressFacts.open(List.of(geo), List.of(asn))) {
            IpAddress scanner = IpAddress.parse("79.124.62.34");
            assertThat(facts.lookup(scanner).asNumber()).isEqualTo(207812L);
            assertThat(facts.reloadIfChanged()).as("nothing changed").isFalse();

            // As geoipupdate does: write a new file beside it, rename it over the old one.
            Path fresh = dir.resolve("asn.csv.new");
            Files.writeString(fresh, "79.124.62.0,79.124.62.255,64512,Renumbered Ltd\n");
            Files.setLastModifiedTime(
                    fresh, FileTime.fromMillis(Files.getLastModifiedTime(asn).toMillis() + 60_000));
            Files.move(fresh, asn, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path geoFresh = dir.resolve("geo.mmdb.new");
            Files.copy(COUNTRIES, geoFresh);
            Files.setLastModifiedTime(
                    geoFresh, FileTime.fromMillis(Files.getLastModifiedTime(geo).toMillis() + 60_000));
            Files.move(geoFresh, geo, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThat(facts.reloadIfChanged()).isTrue();
            NetworkFacts after = facts.lookup(scanner);
            assertThat(after.asNumber()).isEqualTo(64512L);
            assertThat(after.asOrganization()).isEqualTo("Renumbered Ltd");
            assertThat(after.countryIsoCode())
                    .as("the replaced country file answers")
                    .isEqualTo("BG");

            Files.writeString(asn, "not a range\n");
            Files.setLastModifiedTime(
                    asn, FileTime.fromMillis(Files.getLastModifiedTime(asn).toMillis() + 120_000));
            assertThatThrownBy(facts::reloadIfChanged).hasMessageContaining("line 1");
            assertThat(facts.lookup(scanner).asNumber())
                    .as("a broken update leaves the databases in use")
                    .isEqualTo(64512L);
        }
    }
}
