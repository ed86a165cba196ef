package io.scanwatch.sql;

import io.scanwatch.net.Cidr;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.IpAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.functions.ScalarFunction;

/** What the classification functions share: address ranges given as SQL text, read once per distinct list. */
abstract class RangeFunction extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    /**
     * Lists an instance keeps read, the least recently used forgotten past it: a query gives one list, or a few, but
     * one that builds its list from each row's columns would otherwise keep every one.
     */
    static final int MAX_LISTS = 1024;

    private transient Map<String, CidrSet> ranges;

    /** @return whether {@code ip} lies in {@code cidrs} (comma-separated), or null when it is not an address */
    Boolean inside(String ip, String cidrs) {
        if (cidrs == null) {
            return null;
        }
        if (ranges == null) {
            ranges = new RecentlyRead<>(MAX_LISTS);
        }
        // The list first: a wrong one fails the query whatever the addresses, not only once one parses.
        CidrSet blocks = ranges.computeIfAbsent(cidrs, RangeFunction::blocks);
        IpAddress address = ip == null ? null : IpAddress.tryParse(ip.trim());
        return address == null ? null : blocks.contains(address);
    }

    /** Comma-separated blocks; none in an empty text (nothing is internal). */
    private static CidrSet blocks(String list) {
        if (list.isBlank()) {
            return CidrSet.of(List.of());
        }
        List<String> blocks = Arrays.asList(list.trim().split("\\s*,\\s*", -1));
        for (String block : blocks) {
            if (block.isEmpty()) {
                throw new IllegalArgumentException("'" + list + "' has an empty place between commas");
            }
            // Cidr.parse says the same in YAML's words, for the configuration file.
            if (block.contains(";") || block.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + list + "': separate address blocks with commas, e.g."
                        + " '10.0.0.0/8, 192.168.0.0/16'; '" + block + "' is not one block");
            }
            // As the job's --internal-cidrs: 10.0.0.0 read as the one address would answer wrongly without a word.
            String problem = Cidr.bareNetworkProblem(block);
            if (problem != null) {
                throw new IllegalArgumentException("'" + list + "': " + problem);
            }
        }
        return CidrSet.of(blocks);
    }
}
