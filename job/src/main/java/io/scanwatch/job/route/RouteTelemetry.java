package io.scanwatch.job.route;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.source.DeadLetter;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.net.NetworkClassifier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The one gate every record passes: counts it by format and kind, sends dead letters and late events to their
 * side outputs, drops (and counts) authorised scanners, and labels each event with its direction. Lateness is
 * decided once, here, against the watermark, so every detector downstream sees the same events.
 */
public class RouteTelemetry extends ProcessFunction<TelemetryRecord, ConnectionEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final OutputTag<ConnectionEvent> LATE_EVENTS = new OutputTag<>("late-events") {};

    public static final String FORMAT_GROUP = "format";
    public static final String EVENTS_GROUP = "events";

    private final NetworkClassifier classifier;
    private transient JobCounters counters;
    private transient java.util.Map<String, FormatCounts> formats;
    private transient JobCounters.Count late;
    private transient JobCounters.Count authorized;

    public RouteTelemetry(NetworkClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new JobCounters(getRuntimeContext());
        formats = new java.util.HashMap<>();
        late = counters.get(EVENTS_GROUP, "all", "late");
        authorized = counters.get(EVENTS_GROUP, "all", "authorized-scanner");
    }

    @Override
    public void processElement(TelemetryRecord record, Context ctx, Collector<ConnectionEvent> out) {
        FormatCounts format = formats.computeIfAbsent(record.format, f -> new FormatCounts(counters, f));
        switch (record.kind) {
            case SKIPPED:
                format.skipped.inc();
                return;
            case DEAD_LETTER:
                format.deadLettered.inc();
                ctx.output(DEAD_LETTERS, record.deadLetter);
                return;
            default:
                format.parsed.inc();
        }
        ConnectionEvent event = record.connection;
        if (event.timestamp <= ctx.timerService().currentWatermark()) {
            late.inc();
            ctx.output(LATE_EVENTS, event);
            return;
        }
        if (classifier.isAuthorizedScanner(event.sourceIp)) {
            authorized.inc();
            return;
        }
        event.direction = classifier.direction(event.sourceIp, event.destinationIp);
        out.collect(event);
    }

    /** Every record read is counted as exactly one of these. */
    private static final class FormatCounts {
        final JobCounters.Count parsed;
        final JobCounters.Count skipped;
        final JobCounters.Count deadLettered;

        FormatCounts(JobCounters counters, String format) {
            parsed = counters.get(FORMAT_GROUP, format, "parsed");
            skipped = counters.get(FORMAT_GROUP, format, "skipped");
            deadLettered = counters.get(FORMAT_GROUP, format, "dead-lettered");
        }
    }
}
