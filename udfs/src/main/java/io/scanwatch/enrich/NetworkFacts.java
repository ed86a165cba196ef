package io.scanwatch.enrich;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What the databases know of an address; any part may be null. ECS names: {@code geo.country_iso_code},
 * {@code geo.city_name}, {@code geo.location}, {@code as.number}, {@code as.organization.name}.
 */
public record NetworkFacts(
        String countryIsoCode, String cityName, Double latitude, Double longitude, Long asNumber, String asOrganization)
        implements Serializable {
    public static final NetworkFacts NONE = new NetworkFacts(null, null, null, null, null, null);

    /** The largest AS number: they are 32-bit (RFC 6793). */
    static final long LAST_AS_NUMBER = 0xFFFF_FFFFL;

    /** An AS number written as text, {@code 13335} or {@code AS13335}; null for anything else. */
    static Long asNumber(String text) {
        String digits = text.trim();
        digits = digits.regionMatches(true, 0, "AS", 0, 2) ? digits.substring(2) : digits;
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long number = Long.parseLong(digits);
        return number <= LAST_AS_NUMBER ? number : null;
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * The facts of several databases, asked in order: each from the first that knows it, but facts that belong
     * together never mixed from two databases. The AS number and organisation come from the first database that
     * knows the number (a name without one is no AS); the city and location from the first that knows either and places the address in the country
     * taken (a database that names no country places it nowhere, unless none does), so that no alert reads "US,
     * Paris" or gives one AS's number with another's name.
     */
    public static NetworkFacts combined(List<NetworkFacts> known) {
        String country = null;
        for (NetworkFacts facts : known) {
            if (country == null) {
                country = facts.countryIsoCode;
            }
        }
        NetworkFacts place = NONE;
        NetworkFacts as = NONE;
        for (NetworkFacts facts : known) {
            if (place == NONE
                    && (facts.cityName != null || facts.latitude != null)
                    && Objects.equals(facts.countryIsoCode, country)) {
                place = facts;
            }
            if (as == NONE && facts.asNumber != null) {
                as = facts;
            }
        }
        return new NetworkFacts(
                country, place.cityName, place.latitude, place.longitude, as.asNumber, as.asOrganization);
    }
}
