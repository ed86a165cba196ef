package io.scanwatch.job.alert.policy;

import io.scanwatch.enrich.Asset;
import io.scanwatch.enrich.AssetInventory;
import io.scanwatch.enrich.Criticality;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.HostOfService;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.net.IpAddress;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration's inventory as alerts read it: the assets among a scan's targets, and whether they are critical
 * enough to raise its severity.
 */
final class TargetInventory {
    private static final Logger LOG = LoggerFactory.getLogger(TargetInventory.class);

    private final AssetInventory inventory;
    private final Criticality raiseFrom;
    /** The file could not be read again: counted per alert ({@code enrichment.inventory.unreadable}). */
    final boolean unreadable;

    TargetInventory(ScanwatchConfig config) {
        AssetInventory read = AssetInventory.empty();
        boolean failed = false;
        try {
            read = config.inventory().load();
        } catch (IOException | RuntimeException e) {
            // Checked when the job started and when the change was accepted: it has changed on disk since. Alerts
            // still go out, without what the inventory would add.
            LOG.warn("the inventory cannot be read again; alerts go out without it", e);
            failed = true;
        }
        inventory = read;
        unreadable = failed;
        raiseFrom = config.inventory().raiseSeverityFrom();
    }

    boolean isEmpty() {
        return inventory.size() == 0;
    }

    /**
     * The assets among the targets, by address: the hosts probed, those of the services probed, the logons' targets
     * (a host name as the inventory's address of it); each tally or logons may be null.
     */
    Map<String, Asset> assetsAmong(ProbeTally first, ProbeTally second, LogonEvidence logons) {
        Set<String> targets = new TreeSet<>();
        for (ProbeTally tally : new ProbeTally[] {first, second}) {
            if (tally != null) {
                targets.addAll(tally.hosts.counts.keySet());
                tally.services.counts.keySet().forEach(service -> targets.add(HostOfService.of(service)));
            }
        }
        if (logons != null) {
            targets.addAll(logons.targets.counts.keySet());
        }
        Map<String, Asset> assets = new TreeMap<>();
        for (String target : targets) {
            String address = IpAddress.tryParse(target) != null ? target : inventory.addressOf(target);
            Asset asset = address == null ? null : inventory.lookup(address);
            if (asset != null) {
                assets.putIfAbsent(address, asset);
            }
        }
        return assets;
    }

    /**
     * Marks the detection with the highest criticality among its targets' assets that raises an alert's severity,
     * and an asset of it (the lowest address); both null if none raises ({@link Detection#raisingCriticality}).
     */
    void markRaising(Detection detection) {
        detection.raisingCriticality = null;
        detection.raisingTarget = null;
        if (isEmpty()) {
            return; // live control without an inventory: no targets to gather for every detection
        }
        for (Map.Entry<String, Asset> asset :
                assetsAmong(detection.tally, null, detection.logons).entrySet()) {
            Criticality level = asset.getValue().criticality();
            if (raises(level)
                    && (detection.raisingCriticality == null || level.compareTo(detection.raisingCriticality) > 0)) {
                detection.raisingCriticality = level;
                detection.raisingTarget = asset.getKey();
            }
        }
    }

    /** The asset holding the address, or null. */
    Asset assetAt(String address) {
        return inventory.lookup(address);
    }

    /** Whether an asset this critical raises the severity of an alert that targets it. */
    boolean raises(Criticality criticality) {
        return criticality.compareTo(raiseFrom) >= 0;
    }

    Criticality raiseFrom() {
        return raiseFrom;
    }
}
