package io.scanwatch.job.alert.policy;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KnownScanner;
import io.scanwatch.job.config.ScanwatchConfig.ScannerPolicy;
import io.scanwatch.net.Cidr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Which sources one configuration holds back: the authorised scanners (silenced) and the known scanners, each with
 * its label and policy. Read by the alert policy as an alert leaves, and by suppression before it, so that an
 * episode an alert held back opened does not mute the same scan once the configuration no longer holds it back.
 */
final class PolicyHolds {
    /** What the configuration makes of a source's alert. */
    enum Verdict {
        SEND,
        SILENCED,
        DROPPED
    }

    record Labelled(String label, Cidr block, ScannerPolicy policy) {}

    private final List<Cidr> authorized = new ArrayList<>();
    private final List<Labelled> known = new ArrayList<>();

    PolicyHolds(ScanwatchConfig config) {
        config.network().authorizedScanners().forEach(block -> authorized.add(Cidr.parse(block)));
        // Later entries first, so that of two entries for one block the later wins, as in the inventory.
        List<KnownScanner> latestFirst = new ArrayList<>(config.knownScanners());
        Collections.reverse(latestFirst);
        for (KnownScanner scanner : latestFirst) {
            scanner.cidrs()
                    .forEach(block -> known.add(new Labelled(scanner.label(), Cidr.parse(block), scanner.policy())));
        }
        // The most specific block first: a /32 kept among a /24 dropped is kept.
        known.sort(
                Comparator.comparingInt((Labelled scanner) -> -scanner.block().specificity()));
    }

    /** Whether the source is an authorised scanner: its alerts are silenced. */
    boolean authorised(Cidr source) {
        return source != null && authorized.stream().anyMatch(block -> block.covers(source));
    }

    /** The known scanner the source is, or null (or null for a source that is no block: anywhere). */
    Labelled knownScanner(Cidr source) {
        return source == null
                ? null
                : known.stream()
                        .filter(s -> s.block().covers(source))
                        .findFirst()
                        .orElse(null);
    }

    /**
     * The known scanner's policy for an alert, {@code KEEP} for none. Research scanners do not log in: logons after a
     * scan (a correlated alert) are told as they are, whatever the scanner's policy.
     */
    static ScannerPolicy policy(Labelled scanner, boolean withLogons) {
        return scanner == null || withLogons ? ScannerPolicy.KEEP : scanner.policy();
    }

    /** @param source the alert's source as a block ({@link #sourceBlock}), null for anywhere */
    Verdict verdict(Cidr source, boolean withLogons) {
        if (authorised(source)) {
            return Verdict.SILENCED;
        }
        return policy(knownScanner(source), withLogons) == ScannerPolicy.DROP ? Verdict.DROPPED : Verdict.SEND;
    }

    /**
     * Why a scan alert of {@code source} is held back, or null when it is sent. Logons are told whatever the
     * scanner's policy, so a correlated alert may follow a scan alert that was never sent: an analyst who looks it up
     * by its id should know why nothing is there.
     */
    String scanHeldBack(String source) {
        Cidr block = sourceBlock(source);
        if (authorised(block)) {
            return "silenced: the source was an authorised scanner";
        }
        Labelled scanner = knownScanner(block);
        return policy(scanner, false) == ScannerPolicy.DROP
                ? "dropped: the source is known scanner '" + scanner.label() + "', policy drop"
                : null;
    }

    /**
     * The source as a block: an address is a /32 or /128, a network its prefix; none for anywhere ({@code /0}). A
     * network alert is silenced or labelled only by a block that holds the whole network.
     */
    static Cidr sourceBlock(String source) {
        if (source.endsWith("/0")) {
            return null;
        }
        try {
            return Cidr.parse(source);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
