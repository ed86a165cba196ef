package io.scanwatch.job.walk;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleSection;
import io.scanwatch.job.detect.AddressScope;
import io.scanwatch.job.detect.EventSelector;
import io.scanwatch.walk.RandomWalk;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.util.Collector;

/**
 * {@code trw_scan}: a source whose first contacts with hosts fail as a scanner's do, decided by Threshold Random
 * Walk at the probe that settles it. A TCP attempt that reached a listening service (completed, or aborted after the
 * handshake) is a success; one refused or unanswered a failure; one of unknown outcome does not move the walk. Only
 * contacts with the {@code destinations} watched are walked: by default internal hosts, from outside (the paper's
 * setting) or inside; at an edge, the clients' connections to the Internet are most of the traffic, and egress
 * filtering makes many of them fail.
 */
public final class TrwScan implements EventSelector {
    private static final long serialVersionUID = 2L;
    public static final String NAME = "trw_scan";

    private final AddressScope destinations;

    public TrwScan(AddressScope destinations) {
        this.destinations = destinations;
    }

    /** The {@code trw-scan} section's own keys. */
    public record Settings(
            double benignSuccess,
            double scannerSuccess,
            double falsePositive,
            double detection,
            Duration quietPeriod,
            int exactHosts,
            AddressScope destinations)
            implements Serializable {
        RandomWalk walk() {
            return new RandomWalk(benignSuccess, scannerSuccess, falsePositive, detection);
        }

        static void check(Settings settings, ConfigChecks checks, int cap) {
            RandomWalk.Problem problem = settings.walk().problem();
            if (problem != null) {
                checks.fail(problem.parameter(), problem.reason());
            }
            checks.positive("quiet-period", settings.quietPeriod());
            checks.atLeast("exact-hosts", settings.exactHosts(), 1);
        }
    }

    public static final RuleSection<Settings> SECTION = RuleSection.of("trw-scan", Settings.class, Settings::check);

    @Override
    public boolean accepts(ConnectionEvent event) {
        return event.transport == Transport.TCP
                && outcome(event) != null
                && event.direction != null
                && destinations.admits(event.direction.destinationInternal());
    }

    /** Whether an attempt already cut for the walk (kept in a savepoint, say) is one of the destinations walked. */
    boolean watches(ContactAttempt attempt) {
        return destinations.admits(attempt.destinationInternal);
    }

    /** The event as the walk takes it, if accepted. */
    public void select(ConnectionEvent event, Collector<ContactAttempt> out) {
        if (accepts(event)) {
            out.collect(ContactAttempt.of(event));
        }
    }

    /** @return true for a success, false for a failure, null when the outcome says nothing */
    static Boolean outcome(ConnectionEvent event) {
        if (event.outcome == Outcome.COMPLETED || event.outcome == Outcome.ABORTED) {
            return Boolean.TRUE;
        }
        if (event.outcome == Outcome.REJECTED || event.outcome == Outcome.UNANSWERED) {
            return Boolean.FALSE;
        }
        return null;
    }
}
