package io.scanwatch.job.detect;

import io.scanwatch.net.NetworkClassifier;

/** What every rule may need besides its own configuration. */
public record RuleContext(NetworkClassifier classifier, int distinctCap) {}
