package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs a {@link DetectionRule} over an event-time sliding (or tumbling) window built from panes of one slide
 * each. An event updates only its own pane; when the watermark passes a pane's end, the window ending there is
 * the union of the last {@code window / slide} panes. Flink's own sliding windows copy every event into each
 * overlapping window instead, which costs {@code window / slide} times the state and the updates.
 *
 * <p>Only windows that end with a pane holding data are evaluated: any other window's content is contained in
 * the window ending at its newest data pane, so it cannot fire when that one did not. Panes older than the
 * window are dropped as the watermark passes, and a key that goes quiet leaves no state and no timers.
 */
public class PanedWindowDetector extends KeyedProcessFunction<String, ConnectionEvent, Detection> {
    private final DetectionRule rule;
    private final int distinctCap;
    private final long size;
    private final long slide;

    private transient MapState<Long, ProbeTally> panes;

    public PanedWindowDetector(DetectionRule rule, int distinctCap) {
        this.rule = rule;
        this.distinctCap = distinctCap;
        this.size = rule.window().toMillis();
        this.slide = rule.slide().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("panes", Types.LONG, TypeInformation.of(ProbeTally.class)));
    }

    @Override
    public void processElement(ConnectionEvent event, Context ctx, Collector<Detection> out) throws Exception {
        long paneStart = Math.floorDiv(event.timestamp, slide) * slide;
        ProbeTally pane = panes.get(paneStart);
        if (pane == null) {
            pane = new ProbeTally();
        }
        pane.add(event, distinctCap);
        panes.put(paneStart, pane);
        ctx.timerService().registerEventTimeTimer(paneStart + slide - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        long windowEnd = timestamp + 1;
        long windowStart = windowEnd - size;
        List<Map.Entry<Long, ProbeTally>> live = new ArrayList<>();
        for (Map.Entry<Long, ProbeTally> pane : panes.entries()) {
            live.add(pane);
        }
        // Newest first: when a capped set fills up, what the source is doing now wins over what was reported.
        live.sort(Map.Entry.<Long, ProbeTally>comparingByKey().reversed());

        if (panes.contains(windowEnd - slide)) {
            ProbeTally window = new ProbeTally();
            for (Map.Entry<Long, ProbeTally> pane : live) {
                if (pane.getKey() >= windowStart && pane.getKey() < windowEnd) {
                    window.addAll(pane.getValue(), distinctCap);
                }
            }
            Detection detection = rule.evaluate(ctx.getCurrentKey(), window, windowStart, windowEnd);
            if (detection != null) {
                out.collect(detection);
            }
        }

        long newestPane = Long.MIN_VALUE;
        for (Map.Entry<Long, ProbeTally> pane : live) {
            if (pane.getKey() <= windowStart) {
                panes.remove(pane.getKey());
            } else {
                newestPane = Math.max(newestPane, pane.getKey());
            }
        }
        if (newestPane != Long.MIN_VALUE) {
            // The newest pane leaves the last window that holds it at newestPane + size.
            ctx.timerService().registerEventTimeTimer(newestPane + size - 1);
        }
    }
}
