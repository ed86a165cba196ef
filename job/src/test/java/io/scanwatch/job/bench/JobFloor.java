package io.scanwatch.job.bench;

import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job with every rule off but the service scans (internal hosts scanning out, which few of the edge mix's records
 * reach; the job refuses to start with no rule at all). It reads, parses and routes every record on the embedded
 * cluster as the whole job does and detects next to nothing: what the job pays before its detectors, and so the
 * fastest they could make it with today's reader, parser and router.
 */
final class JobFloor {
    /** Each rule but the service scans, those off by default too: a default turned on must not join the floor. */
    private static final Map<String, String> SETTINGS = new TreeMap<>(Map.of(
            "connscan.enabled", "false",
            "network-scan.enabled", "false",
            "slow-scan.enabled", "false",
            "distributed-scan.enabled", "false",
            "distributed-portscan.enabled", "false",
            "trw-scan.enabled", "false",
            "correlation.enabled", "false"));

    private JobFloor() {}

    static ScanwatchConfig config() {
        return Detectors.configLoader().load(null, SETTINGS);
    }

    /** Fails when the floor flagged a scanner: its settings did not take, and it measured more than the floor. */
    static void requireNoScanner(Collection<String> flagged) {
        if (!flagged.isEmpty()) {
            throw new IllegalStateException(
                    "the floor flagged " + flagged.size() + " scanners: its settings did not take");
        }
    }

    /** The same as the command line's {@code --set} options. */
    static List<String> commandLine() {
        List<String> options = new ArrayList<>();
        SETTINGS.forEach((key, value) -> options.addAll(List.of("--set", key + "=" + value)));
        return options;
    }
}
