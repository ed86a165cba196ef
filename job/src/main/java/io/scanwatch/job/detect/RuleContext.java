package io.scanwatch.job.detect;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;

/** What every rule may need besides its own configuration. */
public record RuleContext(NetworkClassifier classifier, int distinctCap) {
    /** The classifier of the configured networks and the configured cap. */
    public static RuleContext of(ScanwatchConfig config) {
        return new RuleContext(
                new NetworkClassifier(
                        CidrSet.of(config.network().internalCidrs()),
                        CidrSet.of(config.network().authorizedScanners())),
                config.detection().distinctCap());
    }
}
