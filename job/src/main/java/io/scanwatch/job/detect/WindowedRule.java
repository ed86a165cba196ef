package io.scanwatch.job.detect;

import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.time.Duration;
import java.util.List;

/** What the threshold rules share: an id, a window, the common settings, and probe tallies to sum up with. */
abstract class WindowedRule implements DetectionRule<ProbeTally> {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final Duration window;
    private final Duration slide;
    private final RuleSettings settings;
    private final ProbeTallies aggregate;

    WindowedRule(String id, Duration window, Duration slide, RuleSettings settings, int distinctCap) {
        this.id = id;
        this.window = window;
        this.slide = slide;
        this.settings = settings;
        this.aggregate = new ProbeTallies(distinctCap);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public Duration slide() {
        return slide;
    }

    @Override
    public WindowAggregate<ProbeTally> aggregate() {
        return aggregate;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    /** A detection with the fields every rule fills the same way, rated as the rule's settings say. */
    Detection detection(String rule, String sourceIp, ProbeTally window, long windowStart, long windowEnd) {
        return detection(this, rule, sourceIp, window, windowStart, windowEnd);
    }

    /** The same for any rule, e.g. one that sums up more than a probe tally. */
    static Detection detection(
            DetectionRule<?> of, String rule, String sourceIp, ProbeTally window, long windowStart, long windowEnd) {
        RuleSettings settings = of.settings();
        Detection detection = new Detection();
        detection.rule = rule;
        detection.sourceIp = sourceIp;
        detection.scope = "";
        detection.windowKind = of.windowKind();
        detection.windowStart = windowStart;
        detection.windowEnd = windowEnd;
        detection.tally = window;
        detection.severity = settings.severity().score;
        detection.techniques = List.copyOf(settings.techniques());
        detection.suppressionPeriod = settings.suppressionPeriod().toMillis();
        return detection;
    }
}
