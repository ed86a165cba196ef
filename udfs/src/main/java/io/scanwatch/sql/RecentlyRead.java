package io.scanwatch.sql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a function instance keeps of the arguments it saw, the least recently read forgotten past a bound: a query
 * may pass a new value on every row, and an instance lives as long as the query.
 */
final class RecentlyRead<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final int bound;

    RecentlyRead(int bound) {
        super(16, 0.75f, true);
        this.bound = bound;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > bound;
    }
}
