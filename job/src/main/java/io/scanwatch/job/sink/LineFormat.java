package io.scanwatch.job.sink;

import java.io.Serializable;

/** How a {@link JsonLinesSink} writes its elements: one line each, and an optional order for bounded runs. */
public interface LineFormat<T> extends Serializable {
    String line(T element);

    /** A key that orders lines the same way on every run, or null to keep the order of arrival. */
    default String orderKey(T element) {
        return null;
    }
}
