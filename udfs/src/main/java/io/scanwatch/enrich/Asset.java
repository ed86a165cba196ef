package io.scanwatch.enrich;

import java.io.Serializable;
import java.util.List;

/**
 * One inventory entry: an address or block and what the organisation knows of it.
 *
 * @param cidr an address ({@code 10.0.0.5}) or a block ({@code 10.0.1.0/24})
 * @param hostname the host's name, or empty; only a single address's name places logons that name their host
 */
public record Asset(String cidr, String hostname, String owner, Criticality criticality, List<String> tags)
        implements Serializable {
    public Asset {
        hostname = hostname == null ? "" : hostname.trim();
        owner = owner == null ? "" : owner.trim();
        criticality = criticality == null ? Criticality.LOW : criticality;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
