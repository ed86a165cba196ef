package io.scanwatch.enrich;

import io.scanwatch.net.IpAddress;
import io.scanwatch.text.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Autonomous systems by address range from a CSV file of {@code first,last,number,organisation} lines (the
 * ip-location-db and DB-IP ASN layout; IPv4 and IPv6, the organisation quoted when it holds a comma), held as sorted
 * arrays and searched by halving. A line that is not such a range fails the load with its number: a database
 * half read would answer wrongly without saying so.
 */
public final class AsnRanges implements FactSource {
    private final long[] firstHigh;
    private final long[] firstLow;
    private final long[] lastHigh;
    private final long[] lastLow;
    private final long[] numbers;
    private final String[] organisations;

    private AsnRanges(List<Range> ranges) {
        ranges.sort((a, b) -> compare(a.firstHigh, a.firstLow, b.firstHigh, b.firstLow));
        int n = ranges.size();
        firstHigh = new long[n];
        firstLow = new long[n];
        lastHigh = new long[n];
        lastLow = new long[n];
        numbers = new long[n];
        organisations = new String[n];
        for (int i = 0; i < n; i++) {
            Range range = ranges.get(i);
            firstHigh[i] = range.firstHigh;
            firstLow[i] = range.firstLow;
            lastHigh[i] = range.lastHigh;
            lastLow[i] = range.lastLow;
            numbers[i] = range.number;
            organisations[i] = range.organisation;
        }
    }

    private record Range(
            long firstHigh, long firstLow, long lastHigh, long lastLow, long number, String organisation) {}

    /** Reads every file into one table. */
    public static AsnRanges load(List<Path> files) throws IOException {
        List<Range> ranges = new ArrayList<>();
        // Many ranges share an organisation: one string each.
        Map<String, String> names = new HashMap<>();
        for (Path file : files) {
            int before = ranges.size();
            int lineNumber = 0;
            // Whether a line other than a blank one was read: only the first may be a header.
            boolean read = false;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNumber++;
                    if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                        // A byte-order mark, which spreadsheet programs write, is no part of the first address.
                        line = line.substring(1);
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    boolean first = !read;
                    read = true;
                    if (first && isHeader(line)) {
                        continue;
                    }
                    try {
                        ranges.add(parse(line, names));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + " line " + lineNumber + ": " + e.getMessage(), e);
                    }
                }
            } catch (CharacterCodingException e) {
                // Java says only "Input length = 1": a binary file, most likely a .mmdb given here.
                throw new IOException(
                        file + " line " + (lineNumber + 1) + ": not UTF-8 text (a MaxMind .mmdb"
                                + " database goes in enrichment.mmdb)",
                        e);
            }
            if (ranges.size() == before) {
                throw new IOException(file + " holds no AS ranges (first,last,number,organisation lines)");
            }
        }
        return new AsnRanges(ranges);
    }

    /**
     * A file's column names ({@code first,last,number,organisation}, or a product's own) as its first line: its
     * first field a name, not an address, and its third no number. A range with a typo is neither, and fails as it is.
     */
    private static boolean isHeader(String line) {
        List<String> fields = CsvFields.of(line);
        return fields.size() >= 3
                && IpAddress.tryParse(fields.get(0).trim()) == null
                && fields.get(0).trim().chars().allMatch(c -> Character.isLetter(c) || c == '_' || c == ' ')
                && fields.get(2).trim().chars().noneMatch(Character::isDigit);
    }

    private static Range parse(String line, Map<String, String> names) {
        List<String> fields = CsvFields.of(line);
        if (fields.size() < 3) {
            throw new IllegalArgumentException("expected first,last,number[,organisation], got '" + line + "'");
        }
        IpAddress first = IpAddress.parse(fields.get(0));
        IpAddress last = IpAddress.parse(fields.get(1));
        if (first.isV4() != last.isV4() || compare(first.high(), first.low(), last.high(), last.low()) > 0) {
            throw new IllegalArgumentException("'" + fields.get(0) + "' to '" + fields.get(1) + "' is no range");
        }
        Long number = NetworkFacts.asNumber(fields.get(2));
        if (number == null) {
            throw new IllegalArgumentException("'" + fields.get(2) + "' is no AS number: a whole number from 0 to "
                    + NetworkFacts.LAST_AS_NUMBER + ", alone or after AS");
        }
        // A name with a comma that its writer did not quote is still the name, not its first part.
        String name = String.join(",", fields.subList(Math.min(3, fields.size()), fields.size()));
        String organisation = name.isEmpty() ? null : names.computeIfAbsent(name, n -> n);
        return new Range(first.high(), first.low(), last.high(), last.low(), number, organisation);
    }

    public int size() {
        return numbers.length;
    }

    @Override
    public NetworkFacts lookup(IpAddress address) {
        // The last range starting at or before the address.
        int low = 0;
        int high = numbers.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(firstHigh[mid], firstLow[mid], address.high(), address.low()) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        // AS 0 is no AS: the files mark address space no one routes with it (RFC 7607).
        if (found < 0
                || compare(address.high(), address.low(), lastHigh[found], lastLow[found]) > 0
                || numbers[found] == 0) {
            return NetworkFacts.NONE;
        }
        return new NetworkFacts(null, null, null, null, numbers[found], organisations[found]);
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int high = Long.compareUnsigned(aHigh, bHigh);
        return high != 0 ? high : Long.compareUnsigned(aLow, bLow);
    }

    @Override
    public void close() {
        // Arrays on the heap: nothing to release.
    }
}
