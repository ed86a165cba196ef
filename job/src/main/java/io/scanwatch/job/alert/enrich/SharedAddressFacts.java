package io.scanwatch.job.alert.enrich;

import io.scanwatch.enrich.AddressFacts;
import io.scanwatch.job.config.ScanwatchConfig.EnrichmentConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One set of open databases per TaskManager and configuration, shared by the enrichment subtasks there: an AS
 * table takes tens of megabytes, and a memory-mapped file is mapped once. Closed when its last user closes.
 */
final class SharedAddressFacts {
    private record Use(AddressFacts facts, int users) {}

    private static final Map<EnrichmentConfig, Use> OPEN = new HashMap<>();

    private SharedAddressFacts() {}

    static synchronized AddressFacts acquire(EnrichmentConfig config) throws IOException {
        Use use = OPEN.get(config);
        if (use == null) {
            use = new Use(AddressFacts.open(config.mmdbFiles(), config.asnCsvFiles()), 0);
        }
        OPEN.put(config, new Use(use.facts(), use.users() + 1));
        return use.facts();
    }

    static synchronized void release(EnrichmentConfig config) throws IOException {
        Use use = OPEN.get(config);
        if (use == null) {
            return;
        }
        if (use.users() <= 1) {
            OPEN.remove(config);
            use.facts().close();
        } else {
            OPEN.put(config, new Use(use.facts(), use.users() - 1));
        }
    }
}
