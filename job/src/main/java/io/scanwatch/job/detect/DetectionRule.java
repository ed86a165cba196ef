package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.io.Serializable;
import java.time.Duration;

/**
 * One detector's logic, run by {@link PanedWindowDetector}: which events it looks at, how it keys them, its
 * window, and what a window's tally must show for it to fire.
 */
public interface DetectionRule extends Serializable {
    /** Operator name and uid stem, e.g. {@code network-scan-sliding}. */
    String id();

    /**
     * Rules of one group accept the same events under the same key, and share one operator and its panes: each
     * event crosses the network once for all of them.
     */
    default String group() {
        return id();
    }

    Duration window();

    /** Equal to {@link #window()} for a tumbling window. */
    Duration slide();

    boolean accepts(ConnectionEvent event);

    String key(ConnectionEvent event);

    /** @return a detection when the window's tally fires the rule, else null */
    Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd);

    default String windowKind() {
        return window().equals(slide()) ? "tumbling" : "sliding";
    }

    /** A detection with the fields every rule fills the same way. */
    default Detection detection(String rule, String sourceIp, ProbeTally window, long windowStart, long windowEnd) {
        Detection detection = new Detection();
        detection.rule = rule;
        detection.sourceIp = sourceIp;
        detection.scope = "";
        detection.windowKind = windowKind();
        detection.windowStart = windowStart;
        detection.windowEnd = windowEnd;
        detection.tally = window;
        return detection;
    }
}
