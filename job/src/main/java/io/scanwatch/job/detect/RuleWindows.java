package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the rule groups that accept a connection behind the watermark still hold it in their windows: routing
 * decides once, against its source's watermark, whether a late connection is still counted (by every group that
 * takes it, or by some) or is late for all. A detector's watermark never runs ahead of its inputs', so a group
 * that holds a connection here still holds it there.
 */
public final class RuleWindows implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How many of the groups that accept a connection still hold it. */
    public enum Hold {
        ALL,
        SOME,
        NONE,
        /** No windowed rule accepts it. */
        NO_RULE
    }

    private final List<DetectionRule<?>> groups = new ArrayList<>();
    private final List<PaneGeometry> geometries = new ArrayList<>();

    public RuleWindows(List<? extends DetectionRule<?>> rules) {
        Map<String, List<DetectionRule<?>>> byGroup = new LinkedHashMap<>();
        rules.forEach(rule ->
                byGroup.computeIfAbsent(rule.group(), g -> new ArrayList<>()).add(rule));
        for (List<DetectionRule<?>> group : byGroup.values()) {
            groups.add(group.get(0));
            geometries.add(PaneGeometry.of(group));
        }
    }

    public Hold hold(ConnectionEvent event, long watermark) {
        boolean accepted = false;
        boolean any = false;
        boolean all = true;
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).accepts(event)) {
                accepted = true;
                if (geometries.get(i).holds(event.timestamp, watermark)) {
                    any = true;
                } else {
                    all = false;
                }
            }
        }
        return !accepted ? Hold.NO_RULE : all ? Hold.ALL : any ? Hold.SOME : Hold.NONE;
    }
}
