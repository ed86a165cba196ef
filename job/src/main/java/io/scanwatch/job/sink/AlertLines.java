package io.scanwatch.job.sink;

import io.scanwatch.job.alert.AlertJson;
import io.scanwatch.job.model.Alert;

/** Alerts as ECS JSON lines, ordered by the end of the window that raised them, then rule, source, sequence and id. */
public final class AlertLines implements LineFormat<Alert> {
    private static final long serialVersionUID = 1L;

    private final int sampleSize;
    private final boolean ordered;
    private transient AlertJson json;

    /** @param ordered whether the lines are ordered (see the class comment); else as they come */
    public AlertLines(int sampleSize, boolean ordered) {
        this.sampleSize = sampleSize;
        this.ordered = ordered;
    }

    @Override
    public String line(Alert alert) {
        if (json == null) {
            json = new AlertJson(sampleSize);
        }
        return json.write(alert);
    }

    @Override
    public String orderKey(Alert alert) {
        if (!ordered) {
            return null;
        }
        // Fixed width, offset so that event times before 1970 still sort first; an episode's alerts of one instant
        // (two windows ending together, the second doubling the first) in their sequence, not by their ids' hashes.
        return String.format(
                "%020d|%s|%s|%010d|%s",
                alert.raisedAt() - Long.MIN_VALUE / 2,
                alert.detection.rule,
                alert.detection.sourceIp,
                alert.sequence,
                alert.id);
    }
}
