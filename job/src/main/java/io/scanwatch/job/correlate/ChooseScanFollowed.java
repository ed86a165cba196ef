package io.scanwatch.job.correlate;

import io.scanwatch.job.model.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Of the matches one logon completes, the one an analyst is told of, per rule. Each scan alert of a source starts a
 * match of its own, so a logon after a discovery sweep and a port scan of the host it then logs on to completes two:
 * the one kept follows a scan that probed the hosts logged on to before one that did not (the severity says so), then
 * the latest scan, the nearest before the logons. Matches wait, keyed by their source, until the watermark passes
 * the logon that completed them: by then every scan's match on it has come. State holds only waiting matches.
 */
final class ChooseScanFollowed extends KeyedProcessFunction<String, Detection, Detection> {
    /** Probed hosts first, then the latest scan; the alert id keeps the choice the same on every run. */
    private static final Comparator<Detection> MOST_LIKELY = Comparator.<Detection, Boolean>comparing(
                    d -> d.logons.atProbedTargets)
            .thenComparingLong(d -> d.follows.windowEnd)
            .thenComparing(d -> d.follows.alertId, Comparator.reverseOrder())
            .reversed();

    private transient MapState<Long, List<Detection>> waiting;

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "waiting-matches", Types.LONG, Types.LIST(TypeInformation.of(Detection.class))));
    }

    @Override
    public void processElement(Detection match, Context ctx, Collector<Detection> out) throws Exception {
        long completed = ctx.timestamp();
        List<Detection> same = waiting.get(completed);
        if (same == null) {
            same = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(completed);
        }
        same.add(match);
        waiting.put(completed, same);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        Map<String, Detection> chosen = new TreeMap<>();
        for (Detection match : waiting.get(timestamp)) {
            chosen.merge(match.rule, match, (kept, other) -> MOST_LIKELY.compare(kept, other) <= 0 ? kept : other);
        }
        waiting.remove(timestamp);
        chosen.values().forEach(out::collect);
    }
}
