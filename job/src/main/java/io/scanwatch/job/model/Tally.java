package io.scanwatch.job.model;

import io.scanwatch.event.ConnectionEvent;

/**
 * What a rule sums up a stretch of event time into: a pane from its events, a window from its panes.
 *
 * @param <T> the tally itself
 */
public interface Tally<T extends Tally<T>> {
    /** One event, each distinct set capped at {@code cap}. */
    void add(ConnectionEvent event, int cap);

    /** Adds a disjoint stretch of time (another pane of the same window). */
    void addAll(T other, int cap);

    /** A tally of its own with the same sum. */
    T copy();

    /** How many events were added. */
    long events();
}
