package io.scanwatch.job.correlate;

import io.scanwatch.job.config.ScanwatchConfig.CorrelationConfig;
import io.scanwatch.net.NetworkClassifier;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * The patterns, each bounded by {@code within} so that no partial match outlives its time. After a match the first
 * two skip past its last event: a brute force raises one match per scan; the logons after it are each matched
 * again by the third ({@link #continuation}), which alert suppression adds to the episode the first match opened.
 */
final class ScanThenLogonPatterns {
    static final String LAST_FAILURE = "enough";
    static final String SUCCESS = "success";
    static final String LOGON = "logon";

    /**
     * Events a match keeps between its scan and its last event: failed logons, sshd's context lines (no guess of
     * their own) and the source's later scans. Every logon's condition reads the match's events back from CEP's
     * shared buffer, so an unbounded loop made each guess of a brute force cost as much as all before it: 3,000
     * guesses after a scan took a minute to replay, 20 times as long as the same guesses without the scan.
     */
    static final int EVENTS_KEPT = 64;

    /** sshd writes up to two context lines beside a guess, and later scans ride along: room for the threshold. */
    private static final int EVENTS_PER_GUESS = 4;

    private ScanThenLogonPatterns() {}

    /**
     * A scan, then failed guesses adding up to {@code min-failures}, each at most {@code within} after the scan was last
     * seen going on ({@link LogonAfterScan}); logons reach CEP {@code logon-grace} late, so a match lasts as much
     * longer.
     */
    static Pattern<CorrelationEvent, ?> failures(CorrelationConfig config, NetworkClassifier classifier) {
        int minFailures = config.minFailures();
        return scanThenFailures(config, classifier, Math.max(EVENTS_KEPT, EVENTS_PER_GUESS * minFailures))
                .followedBy(LAST_FAILURE)
                .where(new EnoughFailures(minFailures, config.within(), config.presumedGoingOn(), classifier))
                .within(config.within().plus(config.logonGrace()));
    }

    /** A scan, then a successful logon, with whatever failures came between, as {@link #failures} bounds them. */
    static Pattern<CorrelationEvent, ?> success(CorrelationConfig config, NetworkClassifier classifier) {
        return scanThenFailures(config, classifier, EVENTS_KEPT)
                .followedBy(SUCCESS)
                .where(new LogonAfterScan(true, false, config.within(), config.presumedGoingOn(), classifier))
                .within(config.within().plus(config.logonGrace()));
    }

    /**
     * A scan, then any one logon (a guess or a success) that may follow it: a match for every such logon, however
     * many matched before it. The two patterns above skip past their match, so that a brute force raises one; without
     * this, the guesses and logons after that match followed no scan until its next report, and a brute force that
     * went on after the scan stopped was told by its first guesses alone. CEP matches each logon once for each report
     * of the scan in reach ({@link ScanThenLogonMatch} keeps one); alert suppression takes it only into an episode of
     * its rule that a match opened, and only if that match does not hold it (a later match's logons come so too, and
     * join only so).
     */
    static Pattern<CorrelationEvent, ?> continuation(CorrelationConfig config, NetworkClassifier classifier) {
        return Pattern.<CorrelationEvent>begin(LogonAfterScan.SCAN, AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(CorrelationEvent::isScan))
                .followedByAny(LOGON)
                .where(new LogonAfterScan(null, false, config.within(), config.presumedGoingOn(), classifier))
                // A guess or a success: sshd's context lines ("Invalid user", PAM's) add nothing an episode tells.
                .where(SimpleCondition.of(e -> e.logon.success || e.logon.attempts > 0))
                .within(config.within().plus(config.logonGrace()));
    }

    /**
     * A scan, then any failed guesses at the hosts it may lead to, and the source's later scans among them: what both
     * patterns start with. The later scans ride in the match rather than start their own, which skipping past the
     * first match would drop: a ping sweep, then a port scan of the host logged on to, is one match that knows both.
     * Past {@code kept} of them the match takes no more (they are passed over, as other logons are), and waits on for
     * its last event.
     */
    private static Pattern<CorrelationEvent, CorrelationEvent> scanThenFailures(
            CorrelationConfig config, NetworkClassifier classifier, int kept) {
        return Pattern.<CorrelationEvent>begin(LogonAfterScan.SCAN, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(CorrelationEvent::isScan))
                .followedBy(EnoughFailures.FAILURES)
                .where(new LogonAfterScan(false, true, config.within(), config.presumedGoingOn(), classifier))
                .times(1, kept)
                .optional();
    }
}
