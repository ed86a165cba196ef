package io.scanwatch.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How several databases' facts make one record, and the layouts of MaxMind-format records. */
class NetworkFactsTest {
    private static final NetworkFacts COUNTRY_US = new NetworkFacts("US", null, null, null, null, null);
    private static final NetworkFacts PARIS = new NetworkFacts("FR", "Paris", 48.85, 2.35, null, null);
    private static final NetworkFacts PARIS_NO_COUNTRY = new NetworkFacts(null, "Paris", 48.85, 2.35, null, null);
    private static final NetworkFacts AS_NUMBER_ONLY = new NetworkFacts(null, null, null, null, 65001L, null);
    private static final NetworkFacts AS_WITH_NAME = new NetworkFacts(null, null, null, null, 207812L, "DM AUTO EOOD");

    @Test
    void anAsNumberKeepsItsOwnDatabasesNameOrNone() {
        NetworkFacts facts = NetworkFacts.combined(List.of(AS_NUMBER_ONLY, AS_WITH_NAME));
        assertThat(facts.asNumber()).isEqualTo(65001L);
        assertThat(facts.asOrganization()).isNull();
        assertThat(NetworkFacts.combined(List.of(NetworkFacts.NONE, AS_WITH_NAME))
                        .asOrganization())
                .isEqualTo("DM AUTO EOOD");
        assertThat(NetworkFacts.combined(
                        List.of(new NetworkFacts(null, null, null, null, null, "OrgOnly Ltd"), AS_WITH_NAME)))
                .as("a name without a number is no AS: the next database's is taken")
                .isEqualTo(AS_WITH_NAME);
    }

    @Test
    void aCityGoesOnlyWithTheCountryItIsIn() {
        assertThat(NetworkFacts.combined(List.of(COUNTRY_US, PARIS))).isEqualTo(COUNTRY_US);
        assertThat(NetworkFacts.combined(List.of(PARIS_NO_COUNTRY, COUNTRY_US)))
                .as("a city of no stated country is not put in the country another database gives")
                .isEqualTo(COUNTRY_US);
        assertThat(NetworkFacts.combined(List.of(new NetworkFacts("FR", null, null, null, null, null), PARIS)))
                .isEqualTo(PARIS);
        assertThat(NetworkFacts.combined(List.of(PARIS_NO_COUNTRY))).isEqualTo(PARIS_NO_COUNTRY);
        assertThat(NetworkFacts.combined(List.of(PARIS, AS_WITH_NAME)))
                .isEqualTo(new NetworkFacts("FR", "Paris", 48.85, 2.35, 207812L, "DM AUTO EOOD"));
    }

    @Test
    void readsGeoLite2sNestedRecordsAndIpLocationDbsFlatOnes() {
        Map<String, Object> geoLite2 = Map.of(
                "country", Map.of("iso_code", "RU"),
                "city", Map.of("names", Map.of("en", "Moscow")),
                "location", Map.of("latitude", 55.75, "longitude", 37.62));
        Map<String, Object> ipLocationDb = Map.of(
                "country_code", "RU", "city", "Moscow", "state1", "Moscow", "latitude", 55.75, "longitude", 37.62);
        NetworkFacts moscow = new NetworkFacts("RU", "Moscow", 55.75, 37.62, null, null);
        assertThat(MmdbFacts.facts(geoLite2)).isEqualTo(moscow);
        assertThat(MmdbFacts.facts(ipLocationDb)).isEqualTo(moscow);
        assertThat(MmdbFacts.facts(Map.of("autonomous_system_number", 0L, "autonomous_system_organization", "x")))
                .as("AS 0 is no AS, whatever its name")
                .isEqualTo(NetworkFacts.NONE);
        assertThat(MmdbFacts.facts(Map.of("country_code", "bg", "city", "", "latitude", 0.0, "longitude", 0.0)))
                .as("a code in lower case is the country; 0, 0 and an empty city are no place")
                .isEqualTo(new NetworkFacts("BG", null, null, null, null, null));
    }
}
