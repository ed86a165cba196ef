package io.scanwatch.job.correlate;

import io.scanwatch.net.NetworkClassifier;
import java.time.Duration;

/** The failed logon that brings the guesses since the scan to {@code minFailures}. */
final class EnoughFailures extends LogonAfterScan {
    static final String FAILURES = "failures";

    private final int minFailures;

    EnoughFailures(int minFailures, Duration within, Duration presumedGoingOn, NetworkClassifier classifier) {
        super(false, false, within, presumedGoingOn, classifier);
        this.minFailures = minFailures;
    }

    @Override
    public boolean filter(CorrelationEvent event, Context<CorrelationEvent> ctx) throws Exception {
        if (!super.filter(event, ctx)) {
            return false;
        }
        long guesses = event.logon.attempts;
        for (CorrelationEvent earlier : ctx.getEventsForPattern(FAILURES)) {
            if (!earlier.isScan()) {
                guesses += earlier.logon.attempts;
            }
        }
        return guesses >= minFailures;
    }
}
