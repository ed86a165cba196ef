package io.scanwatch.job.sink.search;

import java.time.Duration;

/**
 * What the writer tells of a search cluster it cannot reach: the first failure, a reminder at most once a minute
 * while nothing goes through, and the end. Only the first was told, so an outage of minutes looked like two retries,
 * and its end, once the waiting alerts were in, was never said.
 */
final class OutageReport {
    static final Duration REMINDER = Duration.ofMinutes(1);

    private final String cluster;
    private final Duration progressTimeout;
    private boolean failing;
    /** When the attempts began to fail, and when that was last told, in {@link System#nanoTime()}'s terms. */
    private long since;

    private long lastTold;

    OutageReport(String cluster, Duration progressTimeout) {
        this.cluster = cluster;
        this.progressTimeout = progressTimeout;
    }

    /** @return what to warn of an attempt through which nothing went, or null when it was told lately */
    String failed(long nanos, String reason, int waiting, long pauseMillis) {
        if (!failing) {
            failing = true;
            since = nanos;
            lastTold = nanos;
            return "search cluster " + cluster + " busy or unreachable (" + reason + "); retrying " + waiting
                    + " alert(s) in " + pauseMillis + " ms";
        }
        if (nanos - lastTold < REMINDER.toNanos()) {
            return null;
        }
        lastTold = nanos;
        return "search cluster " + cluster + " still busy or unreachable after " + seconds(nanos - since) + " s ("
                + reason + "); " + waiting + " alert(s) wait for it, the job fails once nothing went through for"
                + " search.progress-timeout (" + progressTimeout.toSeconds() + " s)";
    }

    /** @return what to say of an attempt that went through whole after failures, or null when none failed before it */
    String succeeded(long nanos) {
        if (!failing) {
            return null;
        }
        failing = false;
        return "search cluster " + cluster + " reachable again after " + seconds(nanos - since)
                + " s: the alerts that waited go to it now";
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }
}
