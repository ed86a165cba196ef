package io.scanwatch.job.alert.policy;

import io.scanwatch.enrich.Asset;
import io.scanwatch.enrich.Criticality;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.ScannerPolicy;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Severity;
import io.scanwatch.job.model.TargetAsset;
import io.scanwatch.net.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;

/**
 * What one configuration makes of an alert before it leaves: silenced when its source was authorised since start,
 * labelled (and its scan alerts kept, lowered or dropped) when it comes from a known scanner, given what the inventory knows of its
 * targets and raised when they are critical enough.
 */
final class AlertPolicy {

    private final PolicyHolds holds;
    private final TargetInventory inventory;
    /** Counted per alert ({@code enrichment.inventory.unreadable}): the file could not be read again. */
    final boolean inventoryUnreadable;

    AlertPolicy(ScanwatchConfig config) {
        holds = new PolicyHolds(config);
        inventory = new TargetInventory(config);
        inventoryUnreadable = inventory.unreadable;
    }

    PolicyHolds.Verdict apply(Alert alert) {
        Cidr source = PolicyHolds.sourceBlock(alert.detection.sourceIp);
        if (holds.authorised(source)) {
            return PolicyHolds.Verdict.SILENCED;
        }
        PolicyHolds.Labelled scanner = holds.knownScanner(source);
        ScannerPolicy policy = PolicyHolds.policy(scanner, alert.detection.logons != null);
        if (scanner != null) {
            alert.sourceLabel = scanner.label();
        }
        if (policy == ScannerPolicy.DROP) {
            return PolicyHolds.Verdict.DROPPED;
        }
        describeTargets(alert);
        if (policy == ScannerPolicy.LOWER) {
            // After the inventory's raise: a known scanner's alert at a critical host stays at the rule's severity,
            // where lowering first (a low alert cannot go lower) then raising put it above.
            int before = alert.detection.severity;
            alert.detection.severity = Severity.lowered(before);
            alert.severityChanges.add(change(
                    before,
                    alert.detection.severity,
                    "the source is known scanner '" + scanner.label() + "', policy lower"
                            + (before == alert.detection.severity ? " (nothing is below low)" : "")));
        }
        return PolicyHolds.Verdict.SEND;
    }

    private void describeTargets(Alert alert) {
        if (inventory.isEmpty()) {
            return;
        }
        if (alert.episode != null) {
            alert.targetAssetsSampled = alert.episode.hosts.saturated;
        }
        // The detection's own targets too, and the asset an earlier alert of the episode was raised for: an episode
        // past the cap keeps a sample of its hosts, which may leave out the asset that made the detection escalate
        // (MarkRaisingTargets), and a later alert would fall back in severity.
        Map<String, Asset> assets = inventory.assetsAmong(alert.episode, alert.detection.tally, alert.episodeLogons);
        Asset raisedBefore = alert.raisingTargetTold == null ? null : inventory.assetAt(alert.raisingTargetTold);
        if (raisedBefore != null) {
            assets.putIfAbsent(alert.raisingTargetTold, raisedBefore);
        }
        Criticality highest = null;
        for (Map.Entry<String, Asset> entry : assets.entrySet()) {
            Asset asset = entry.getValue();
            TargetAsset known = new TargetAsset();
            known.ip = entry.getKey();
            known.hostname = asset.hostname().isEmpty() ? null : asset.hostname();
            known.owner = asset.owner().isEmpty() ? null : asset.owner();
            known.criticality = asset.criticality().text();
            known.tags = new ArrayList<>(asset.tags());
            alert.targetAssets.add(known);
            if (highest == null || asset.criticality().compareTo(highest) > 0) {
                highest = asset.criticality();
            }
        }
        alert.targetAssets.sort(Comparator.comparing((TargetAsset a) -> Criticality.of(a.criticality))
                .reversed()
                .thenComparing(a -> a.ip));
        if (highest != null) {
            alert.targetCriticality = highest.text();
            if (inventory.raises(highest)) {
                int before = alert.detection.severity;
                alert.detection.severity = Severity.raised(before);
                // Sorted most critical first: the first names a host of the highest criticality.
                alert.severityChanges.add(change(
                        before,
                        alert.detection.severity,
                        "it targeted " + alert.targetAssets.get(0).ip + ", " + highest.text()
                                + " in the inventory (raise-severity-from: "
                                + inventory.raiseFrom().text() + ")"
                                + (before == alert.detection.severity ? " (nothing is above critical)" : "")));
            }
        }
    }

    private static String change(int before, int after, String why) {
        return Severity.label(before) + " -> " + Severity.label(after) + ": " + why;
    }
}
