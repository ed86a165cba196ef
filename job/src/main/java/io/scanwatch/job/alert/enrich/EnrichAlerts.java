package io.scanwatch.job.alert.enrich;

import io.scanwatch.enrich.AddressFacts;
import io.scanwatch.enrich.NetworkFacts;
import io.scanwatch.job.config.ScanwatchConfig.EnrichmentConfig;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.SourceFacts;
import io.scanwatch.net.IpAddress;
import io.scanwatch.net.SpecialPurposeBlocks;
import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds what the configured databases know of each alert's source: of its address, or of a network's first
 * address. An address no database knows, a special-purpose one (documentation, benchmarking, loopback: no network
 * holds it, whatever a database says), or a lookup that fails leaves the alert as it is and is counted
 * ({@code enrichment.lookups.not-found}, {@code special-purpose}, {@code failed}); an alert is never held back. Files
 * replaced on disk are opened again within a minute ({@code enrichment.databases.reloaded}).
 */
public class EnrichAlerts extends RichMapFunction<Alert, Alert> {
    public static final String GROUP = "enrichment";
    private static final Logger LOG = LoggerFactory.getLogger(EnrichAlerts.class);

    /** How often the database files are checked for a replacement: publishers update them daily to weekly. */
    private static final long RELOAD_CHECK_MILLIS = 60_000;

    private final EnrichmentConfig config;
    private transient AddressFacts facts;
    private transient JobCounters counters;
    private transient long lastReloadCheck;

    public EnrichAlerts(EnrichmentConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        facts = SharedAddressFacts.acquire(config);
        counters = new JobCounters(getRuntimeContext());
    }

    @Override
    public Alert map(Alert alert) {
        reloadIfDue();
        IpAddress address = addressOf(alert.detection.sourceIp);
        if (address == null) {
            return alert;
        }
        // AddressFacts places none of them either; asked here to count them apart from addresses no database knows.
        if (SpecialPurposeBlocks.contains(address)) {
            counters.get(GROUP, "lookups", "special-purpose").inc();
            return alert;
        }
        NetworkFacts found;
        try {
            found = facts.lookup(address);
        } catch (RuntimeException e) {
            counters.get(GROUP, "lookups", "failed").inc();
            return alert;
        }
        if (found.isEmpty()) {
            counters.get(GROUP, "lookups", "not-found").inc();
            return alert;
        }
        counters.get(GROUP, "lookups", "found").inc();
        SourceFacts source = new SourceFacts();
        source.countryIsoCode = found.countryIsoCode();
        source.cityName = found.cityName();
        source.latitude = found.latitude();
        source.longitude = found.longitude();
        source.asNumber = found.asNumber();
        source.asOrganization = found.asOrganization();
        alert.sourceFacts = source;
        return alert;
    }

    /** Opens the databases again when their files were replaced; a broken update keeps the ones in use. */
    private void reloadIfDue() {
        long now = System.currentTimeMillis();
        if (now - lastReloadCheck < RELOAD_CHECK_MILLIS) {
            return;
        }
        lastReloadCheck = now;
        try {
            if (facts.reloadIfChanged()) {
                counters.get(GROUP, "databases", "reloaded").inc();
                LOG.info("enrichment databases reopened: {}", config);
            }
        } catch (IOException | RuntimeException e) {
            counters.get(GROUP, "databases", "reload-failed").inc();
            LOG.warn("enrichment databases changed but cannot be read; the ones in use stay", e);
        }
    }

    /** The source address, or a network's first address; none for a source from anywhere ({@code /0}). */
    static IpAddress addressOf(String source) {
        int slash = source.indexOf('/');
        if (slash < 0) {
            return IpAddress.tryParse(source);
        }
        return source.endsWith("/0") ? null : IpAddress.tryParse(source.substring(0, slash));
    }

    @Override
    public void close() throws Exception {
        if (facts != null) {
            SharedAddressFacts.release(config);
            facts = null;
        }
    }
}
