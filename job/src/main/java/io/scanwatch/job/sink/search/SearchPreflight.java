package io.scanwatch.job.sink.search;

import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import java.time.Duration;

/**
 * Asks the search cluster's nodes once at start, from the client, whether anything answers: a mistyped URL would
 * otherwise show only when the progress timeout fails the job, minutes later. Only a warning: a cluster down at start
 * is what the sink waits through (a replay may finish once it is back), and a cluster's TaskManagers may reach nodes
 * the client cannot.
 */
public final class SearchPreflight {
    private SearchPreflight() {}

    /** A warning when no node answered within {@code timeout}, whatever its status; null when one did. */
    public static String warning(SearchConfig config, Duration timeout) {
        SearchConnection connection = new SearchConnection(config);
        String unanswered = connection.unanswered(timeout);
        return unanswered == null
                ? null
                : "no search node at " + connection.describe() + " answered within " + timeout.toSeconds() + " s ("
                        + unanswered + "): where the job runs cannot reach it either, alerts for it wait up to"
                        + " search.progress-timeout ("
                        + config.progressTimeout().toSeconds() + " s), then the job fails; check search.urls";
    }
}
