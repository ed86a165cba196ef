package io.scanwatch.enrich;

import com.maxmind.db.Reader;
import io.scanwatch.net.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A MaxMind-format database (GeoLite2 City, Country or ASN; DB-IP; ip-location-db), read memory-mapped with
 * MaxMind's own reader. Each product names its fields its own way; the common ones are read: GeoLite2's
 * {@code country.iso_code}, {@code city.names.en}, {@code location}, {@code autonomous_system_number} and
 * {@code autonomous_system_organization}, and ip-location-db's flat {@code country_code}, {@code city},
 * {@code latitude} and {@code longitude}.
 */
public final class MmdbFacts implements FactSource {
    private final Reader reader;
    /**
     * Whether the database's tree holds IPv6 addresses. ip-location-db and others ship IPv4 and IPv6 as files of
     * their own, and MaxMind's reader answers an IPv6 lookup in an IPv4 tree from the address's first 32 bits:
     * another network's country.
     */
    private final boolean holdsIpv6;

    public MmdbFacts(Path file) throws IOException {
        this.reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED);
        this.holdsIpv6 = reader.getMetadata().getIpVersion() == 6;
    }

    @Override
    public NetworkFacts lookup(IpAddress address) {
        if (!address.isV4() && !holdsIpv6) {
            return NetworkFacts.NONE;
        }
        Map<?, ?> record;
        try {
            record = reader.get(inet(address), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reader.getMetadata().getDatabaseType(), e);
        }
        if (record == null) {
            return NetworkFacts.NONE;
        }
        return facts(record);
    }

    /** A record's facts, in GeoLite2's and DB-IP's nested layout or ip-location-db's flat one. */
    static NetworkFacts facts(Map<?, ?> record) {
        String country = text(at(record, "country", "iso_code"));
        if (country == null) {
            country = text(record.get("country_code"));
        }
        // ISO codes are upper case; a file that writes "bg" means Bulgaria all the same.
        country = country == null ? null : country.toUpperCase(Locale.ROOT);
        String city = text(at(record, "city", "names", "en"));
        if (city == null) {
            city = text(record.get("city"));
        }
        Map<?, ?> location = record.get("location") instanceof Map<?, ?> nested ? nested : record;
        Double latitude = number(location.get("latitude"));
        Double longitude = number(location.get("longitude"));
        // 0, 0 is where files put an unknown location (the sea off Ghana): no place. Nor is a point off the globe,
        // which a search node's geo_point would refuse with the whole alert.
        boolean placed = latitude != null
                && longitude != null
                && (latitude != 0 || longitude != 0)
                && Math.abs(latitude) <= 90
                && Math.abs(longitude) <= 180;
        Long asNumber = asNumber(record.get("autonomous_system_number"));
        // AS 0 is no AS: reserved for address space no one routes (RFC 7607), whatever name it is given.
        boolean routed = asNumber == null || asNumber != 0;
        return new NetworkFacts(
                country,
                city,
                placed ? latitude : null,
                placed ? longitude : null,
                routed ? asNumber : null,
                routed ? text(record.get("autonomous_system_organization")) : null);
    }

    /** The address as the reader takes it, built from its bytes: InetAddress.getByName would resolve names. */
    private static InetAddress inet(IpAddress address) {
        byte[] bytes = new byte[address.isV4() ? 4 : 16];
        for (int i = 0; i < bytes.length; i++) {
            int bit = (bytes.length - 1 - i) * 8;
            bytes[i] = (byte) (bit >= 64 ? address.high() >>> (bit - 64) : address.low() >>> bit);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static Object at(Map<?, ?> record, String... path) {
        Object node = record;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    /**
     * An AS number as files write it: a whole number, or text of one with or without "AS" before it; none outside
     * 0 to 2^32 - 1.
     */
    private static Long asNumber(Object value) {
        if (value instanceof Number n && n.doubleValue() == n.longValue()) {
            long number = n.longValue();
            return number >= 0 && number <= NetworkFacts.LAST_AS_NUMBER ? number : null;
        }
        return value instanceof String text ? NetworkFacts.asNumber(text) : null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
