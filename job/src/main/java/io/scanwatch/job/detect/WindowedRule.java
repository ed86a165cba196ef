package io.scanwatch.job.detect;

import java.time.Duration;

/** What every rule shares: its operator id and its window. */
abstract class WindowedRule implements DetectionRule {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final Duration window;
    private final Duration slide;

    WindowedRule(String id, Duration window, Duration slide) {
        this.id = id;
        this.window = window;
        this.slide = slide;
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
}
