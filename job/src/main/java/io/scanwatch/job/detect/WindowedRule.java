package io.scanwatch.job.detect;

import io.scanwatch.job.config.RuleSettings;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.time.Duration;
import java.util.List;

/**
 * What the threshold rules share: an id, a window, the common settings, and the aggregate they sum up with (probe
 * tallies per source, or network tallies per group of sources).
 */
abstract class WindowedRule<ACC> implements DetectionRule<ACC> {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final Duration window;
    private final Duration slide;
    private final RuleSettings settings;
    private final WindowAggregate<ACC> aggregate;

    WindowedRule(String id, Duration window, Duration slide, RuleSettings settings, WindowAggregate<ACC> aggregate) {
        this.id = id;
        this.window = window;
        this.slide = slide;
        this.settings = settings;
        this.aggregate = aggregate;
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
    public WindowAggregate<ACC> aggregate() {
        return aggregate;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    /**
     * A detection with the fields every rule fills the same way, rated as the rule's settings say.
     *
     * @param sourceIp the source, or for rules over groups of sources what they share (a network)
     * @param window the probes the detection reports
     */
    Detection detection(String rule, String sourceIp, ProbeTally window, long windowStart, long windowEnd) {
        Detection detection = new Detection();
        detection.rule = rule;
        detection.sourceIp = sourceIp;
        detection.scope = "";
        detection.windowKind = windowKind();
        detection.windowStart = windowStart;
        detection.windowEnd = windowEnd;
        detection.tally = window;
        detection.severity = settings.severity().score;
        detection.techniques = List.copyOf(settings.techniques());
        detection.suppressionPeriod = settings.suppressionPeriod().toMillis();
        return detection;
    }
}
