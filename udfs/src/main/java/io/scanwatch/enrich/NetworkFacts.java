package io.scanwatch.enrich;

import java.io.Serializable;

/**
 * What the databases know of an address; any part may be null. ECS names: {@code geo.country_iso_code},
 * {@code geo.city_name}, {@code geo.location}, {@code as.number}, {@code as.organization.name}.
 */
public record NetworkFacts(
        String countryIsoCode, String cityName, Double latitude, Double longitude, Long asNumber, String asOrganization)
        implements Serializable {
    public static final NetworkFacts NONE = new NetworkFacts(null, null, null, null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** These facts, with what they lack taken from {@code other}: the first database that knows a fact wins. */
    public NetworkFacts orElse(NetworkFacts other) {
        return new NetworkFacts(
                countryIsoCode != null ? countryIsoCode : other.countryIsoCode,
                cityName != null ? cityName : other.cityName,
                latitude != null ? latitude : other.latitude,
                longitude != null ? longitude : other.longitude,
                asNumber != null ? asNumber : other.asNumber,
                asOrganization != null ? asOrganization : other.asOrganization);
    }
}
