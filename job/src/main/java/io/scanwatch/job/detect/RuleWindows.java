package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the rule lanes ({@link RuleLane#of}) that accept a connection behind the watermark still hold it in their
 * windows: routing decides once, against its source's watermark, whether a late connection is still counted (by
 * every lane that takes it, or by some) or is late for all. A detector's watermark never runs ahead of its inputs',
 * so a lane that holds a connection here still holds it there.
 */
public final class RuleWindows implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How many of the lanes that accept a connection still hold it. */
    public enum Hold {
        ALL,
        SOME,
        NONE,
        /** No windowed rule accepts it. */
        NO_RULE
    }

    private final List<DetectionRule<?>> lanes = new ArrayList<>();
    private final List<PaneGeometry> geometries = new ArrayList<>();

    public RuleWindows(List<? extends DetectionRule<?>> rules) {
        for (RuleLane.Spec lane : RuleLane.of(rules)) {
            lanes.add(lane.rules().get(0));
            geometries.add(lane.geometry());
        }
    }

    public Hold hold(ConnectionEvent event, long watermark) {
        boolean accepted = false;
        boolean any = false;
        boolean all = true;
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).accepts(event)) {
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
