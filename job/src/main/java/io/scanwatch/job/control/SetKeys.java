package io.scanwatch.job.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a change sets, as dotted paths to its values ({@code network.authorized-scanners}): a change replaces the
 * one before it whole, so a key the one before set and this one does not goes back to its start-up value, which an
 * operator who meant to add to it should hear of.
 */
record SetKeys(String version, Set<String> paths) {
    private static final int MAX_NAMED = 10;

    static SetKeys of(String version, JsonNode set) {
        Set<String> paths = new TreeSet<>();
        collect("", set, paths);
        return new SetKeys(version, paths);
    }

    private static void collect(String prefix, JsonNode node, Set<String> paths) {
        if (!node.isObject() || node.isEmpty()) {
            paths.add(prefix);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            collect(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), paths);
        }
    }

    /** What to tell of the keys {@code before} set and this change does not; null when none, or no change before. */
    String droppedFrom(SetKeys before) {
        if (before == null) {
            return null;
        }
        Set<String> dropped = new TreeSet<>(before.paths);
        dropped.removeAll(paths);
        dropped.remove("");
        if (dropped.isEmpty()) {
            return null;
        }
        String named = String.join(", ", dropped.stream().limit(MAX_NAMED).toList());
        return "it replaces change '" + before.version + "' whole: what that one set and this one does not is back to"
                + " its start-up value (" + named + (dropped.size() > MAX_NAMED ? ", ..." : "") + ")";
    }
}
