package io.scanwatch.job;

import io.scanwatch.job.config.ConfigLoader;
import io.scanwatch.job.config.RuleSection;
import io.scanwatch.job.detect.RuleRegistry;
import io.scanwatch.job.walk.TrwScan;
import java.util.ArrayList;
import java.util.List;

/** Every detector's configuration section: the windowed rules of the registry, and the random walk. */
public final class Detectors {
    private Detectors() {}

    public static List<RuleSection<?>> sections() {
        List<RuleSection<?>> sections = new ArrayList<>(RuleRegistry.KINDS);
        sections.add(TrwScan.SECTION);
        return sections;
    }

    /** A loader that knows every detector's section. */
    public static ConfigLoader configLoader() {
        return new ConfigLoader(sections());
    }
}
