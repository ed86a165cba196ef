package io.scanwatch.job.correlate;

import io.scanwatch.enrich.AssetInventory;
import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.config.ScanwatchConfig.InventoryConfig;
import io.scanwatch.job.metrics.JobCounters;
import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a logon that names only its host (sshd and Windows record their own name, not their address) the address
 * the inventory holds for that name, so that scan-then-logon can place it among the probed hosts. Counted as
 * {@code logons.placed.by-inventory}. The start-up inventory is used: a live change re-labels alerts, not logons.
 */
public class PlaceLogons extends RichMapFunction<AuthEvent, AuthEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(PlaceLogons.class);

    private final InventoryConfig config;
    private transient AssetInventory inventory;
    private transient JobCounters counters;

    public PlaceLogons(InventoryConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        counters = new JobCounters(getRuntimeContext());
        try {
            inventory = config.load();
        } catch (IOException | RuntimeException e) {
            // Checked when the job started: the file has changed since. Logons still count, at internal hosts.
            LOG.warn("the inventory cannot be read again; logons naming their host stay unplaced", e);
            counters.get("enrichment", "inventory", "unreadable").inc();
            inventory = AssetInventory.empty();
        }
    }

    @Override
    public AuthEvent map(AuthEvent logon) {
        if (logon.targetIp == null && logon.targetHost != null) {
            String address = inventory.addressOf(logon.targetHost);
            if (address != null) {
                logon.targetIp = address;
                counters.get("logons", "placed", "by-inventory").inc();
            }
        }
        return logon;
    }
}
