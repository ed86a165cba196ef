package io.scanwatch.job.alert;

import io.scanwatch.enrich.Asset;
import io.scanwatch.enrich.AssetInventory;
import io.scanwatch.enrich.Criticality;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KnownScanner;
import io.scanwatch.job.config.ScanwatchConfig.ScannerPolicy;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Severity;
import io.scanwatch.job.model.TargetAsset;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.IpAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one configuration makes of an alert before it leaves: silenced when its source was authorised since start,
 * labelled (and its scan alerts kept, lowered or dropped) when it comes from a known scanner, given what the inventory knows of its
 * targets and raised when they are critical enough.
 */
final class AlertPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AlertPolicy.class);

    /** What became of an alert. */
    enum Verdict {
        SEND,
        SILENCED,
        DROPPED
    }

    private record Labelled(String label, CidrSet cidrs, ScannerPolicy policy) {}

    private final CidrSet authorized;
    private final List<Labelled> known = new ArrayList<>();
    private final AssetInventory inventory;
    private final Criticality raiseFrom;
    /** Counted per alert ({@code enrichment.inventory.unreadable}): the file could not be read again. */
    final boolean inventoryUnreadable;

    AlertPolicy(ScanwatchConfig config) {
        authorized = CidrSet.of(config.network().authorizedScanners());
        for (KnownScanner scanner : config.knownScanners()) {
            known.add(new Labelled(scanner.label(), CidrSet.of(scanner.cidrs()), scanner.policy()));
        }
        AssetInventory read = AssetInventory.empty();
        boolean unreadable = false;
        try {
            read = config.inventory().load();
        } catch (IOException | RuntimeException e) {
            // Checked when the job started and when the change was accepted: it has changed on disk since. Alerts
            // still go out, without what the inventory would add.
            LOG.warn("the inventory cannot be read again; alerts go out without it", e);
            unreadable = true;
        }
        inventory = read;
        inventoryUnreadable = unreadable;
        raiseFrom = config.inventory().raiseSeverityFrom();
    }

    Verdict apply(Alert alert) {
        IpAddress source = EnrichAlerts.addressOf(alert.detection.sourceIp);
        if (source != null && alert.episodeMembers == null && authorized.contains(source)) {
            return Verdict.SILENCED;
        }
        if (source != null) {
            for (Labelled scanner : known) {
                if (scanner.cidrs().contains(source)) {
                    alert.sourceLabel = scanner.label();
                    if (alert.detection.logons != null) {
                        // Research scanners do not log in: logons after the scan are told as they are.
                        break;
                    }
                    if (scanner.policy() == ScannerPolicy.DROP) {
                        return Verdict.DROPPED;
                    }
                    if (scanner.policy() == ScannerPolicy.LOWER) {
                        alert.detection.severity = Severity.lowered(alert.detection.severity);
                    }
                    break;
                }
            }
        }
        describeTargets(alert);
        return Verdict.SEND;
    }

    private void describeTargets(Alert alert) {
        if (inventory.size() == 0) {
            return;
        }
        Set<String> targets = new TreeSet<>();
        if (alert.episode != null) {
            targets.addAll(alert.episode.hosts.counts.keySet());
        }
        if (alert.episodeLogons != null) {
            targets.addAll(alert.episodeLogons.targets.counts.keySet());
        }
        Criticality highest = null;
        for (String target : targets) {
            Asset asset = inventory.lookup(target);
            if (asset == null) {
                asset = inventory.lookup(inventory.addressOf(target));
            }
            if (asset == null) {
                continue;
            }
            TargetAsset described = new TargetAsset();
            described.ip = target;
            described.hostname = asset.hostname().isEmpty() ? null : asset.hostname();
            described.owner = asset.owner().isEmpty() ? null : asset.owner();
            described.criticality = asset.criticality().text();
            described.tags = new ArrayList<>(asset.tags());
            alert.targetAssets.add(described);
            if (highest == null || asset.criticality().compareTo(highest) > 0) {
                highest = asset.criticality();
            }
        }
        alert.targetAssets.sort(Comparator.comparing((TargetAsset a) -> Criticality.of(a.criticality))
                .reversed()
                .thenComparing(a -> a.ip));
        if (highest != null) {
            alert.targetCriticality = highest.text();
            if (highest.compareTo(raiseFrom) >= 0) {
                alert.detection.severity = Severity.raised(alert.detection.severity);
            }
        }
    }
}
