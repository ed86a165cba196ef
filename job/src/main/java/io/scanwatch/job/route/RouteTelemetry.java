package io.scanwatch.job.route;

import static io.scanwatch.job.metrics.JobCounters.EVENTS_GROUP;
import static io.scanwatch.job.metrics.JobCounters.FORMAT_GROUP;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.flow.EndpointViews;
import io.scanwatch.flow.OneWayFlows;
import io.scanwatch.job.detect.DetectionRule;
import io.scanwatch.job.detect.EventSelector;
import io.scanwatch.job.detect.RuleWindows;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.runtime.TaskManagerJava;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.net.IpAddress;
import io.scanwatch.net.NetworkClassifier;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The gate every record passes, right behind its source: counts it by format and kind, sends dead letters, late
 * records and authentications to their side outputs, drops (and counts) authorised scanners and connections no
 * detector watches, and labels each connection with its direction. Lateness is decided once, here, against the
 * source's watermark, so every detector downstream sees the same events: a connection behind the watermark still
 * counts while the windows of some rule that takes it hold it ({@link RuleWindows}), and is late when none do.
 */
public class RouteTelemetry extends ProcessFunction<TelemetryRecord, ConnectionEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final OutputTag<TelemetryRecord> LATE_EVENTS = new OutputTag<>("late-events") {};
    public static final OutputTag<AuthEvent> AUTHENTICATIONS = new OutputTag<>("authentications") {};
    /**
     * Records that write a connection other records write too (one-way flows, Windows' views from each host), to be
     * joined into one attempt before any rule judges them.
     */
    public static final OutputTag<ConnectionEvent> TO_JOIN = new OutputTag<>("records-to-join") {};
    /**
     * Never written: this operator's watermarks alone, for the operators that take control changes to wait on when
     * the job has none. A side output, so that no record is copied for it.
     */
    public static final OutputTag<ControlChange> NO_CONTROL_CHANGES = new OutputTag<>("no-control-changes") {};

    /** Connections past the windows of some rules that take them, counted by the others (once per connection). */
    public static final String LATE_FOR_SOME_RULES = "late-for-some-rules";

    /** Connections no enabled detector takes, counted here or, for joined records, once joined. */
    public static final String UNWATCHED = "unwatched";

    private final NetworkClassifier classifier;
    private final List<? extends EventSelector> selectors;
    /** Which lanes still hold a connection behind the watermark: one no lane holds is late. */
    private final RuleWindows windows;
    /**
     * How far behind the watermark a connection that no windowed rule takes (one-way flows before pairing, the
     * random walk's) may be and still count. Authentications have none: scan-then-logon (CEP) drops what is behind
     * its watermark.
     */
    private final long allowedLateness;

    private transient JobCounters counters;
    private transient java.util.Map<String, FormatCounts> formats;
    private transient JobCounters.Count late;
    private transient JobCounters.Count lateForSome;
    private transient JobCounters.Count authorized;
    private transient JobCounters.Count unwatched;
    private transient JobCounters.Count brokenInputs;

    /**
     * @param selectors the enabled detectors: an event none of them accepts is counted and goes no further
     * @param rules the enabled windowed rules, among the selectors
     */
    public RouteTelemetry(
            NetworkClassifier classifier,
            List<? extends EventSelector> selectors,
            List<? extends DetectionRule<?>> rules) {
        this.classifier = classifier;
        this.selectors = List.copyOf(selectors);
        this.windows = new RuleWindows(rules);
        this.allowedLateness = allowedLateness(rules);
    }

    /** The longest window less its slide: the age up to which the longest detector still evaluates a window. */
    private static long allowedLateness(List<? extends DetectionRule<?>> rules) {
        return rules.stream()
                .mapToLong(rule -> rule.window().minus(rule.slide()).toMillis())
                .max()
                .orElse(0);
    }

    @Override
    public void open(OpenContext openContext) {
        TaskManagerJava.check();
        counters = new JobCounters(getRuntimeContext());
        formats = new java.util.HashMap<>();
        late = counters.get(EVENTS_GROUP, "all", "late");
        lateForSome = counters.get(EVENTS_GROUP, "all", LATE_FOR_SOME_RULES);
        authorized = counters.get(EVENTS_GROUP, "all", "authorized-scanner");
        unwatched = counters.get(EVENTS_GROUP, "all", UNWATCHED);
        brokenInputs = counters.get(EVENTS_GROUP, "all", "broken-input");
    }

    @Override
    public void processElement(TelemetryRecord record, Context ctx, Collector<ConnectionEvent> out) {
        FormatCounts format = formats.get(record.format);
        if (format == null) {
            format = new FormatCounts(counters, record.format);
            formats.put(record.format, format);
        }
        format.read.inc();
        switch (record.kind) {
            case SKIPPED:
                format.skipped.inc();
                return;
            case DEAD_LETTER:
                format.deadLettered.inc();
                ctx.output(DEAD_LETTERS, record.deadLetter);
                return;
            case BROKEN_INPUT:
                format.deadLettered.inc();
                brokenInputs.inc();
                ctx.output(DEAD_LETTERS, record.deadLetter);
                return;
            default:
                format.parsed.inc();
        }
        long watermark = ctx.timerService().currentWatermark();
        if (record.kind == TelemetryRecord.Kind.AUTHENTICATION) {
            if (behind(record.eventTime(), watermark, 0)) {
                lateRecord(record, ctx);
                return;
            }
            route(record.authentication, ctx);
        } else {
            route(record, watermark, ctx, out);
        }
    }

    /** Guarded: before the first watermark (Long.MIN_VALUE) the subtraction would wrap around. */
    private static boolean behind(long eventTime, long watermark, long lateness) {
        return watermark > Long.MIN_VALUE + lateness && eventTime <= watermark - lateness;
    }

    private void lateRecord(TelemetryRecord record, Context ctx) {
        late.inc();
        ctx.output(LATE_EVENTS, record);
    }

    private void route(AuthEvent logon, Context ctx) {
        if (classifier.isAuthorizedScanner(IpAddress.parse(logon.sourceIp))) {
            authorized.inc();
            return;
        }
        ctx.output(AUTHENTICATIONS, logon);
    }

    private void route(TelemetryRecord record, long watermark, Context ctx, Collector<ConnectionEvent> out) {
        ConnectionEvent event = record.connection;
        IpAddress source = IpAddress.parse(event.sourceIp);
        if (classifier.isAuthorizedScanner(source)) {
            authorized.inc();
            return;
        }
        event.direction = classifier.direction(source, IpAddress.parse(event.destinationIp));
        // Records of a connection others write too are joined before any rule selects them: which rules take it
        // depends on what the join makes of it (which side of a one-way flow asked, a view's outcome when another
        // host blocked the connection).
        boolean toJoin = OneWayFlows.pairs(event) || EndpointViews.merges(event);
        if (behind(event.timestamp, watermark, 0)) {
            RuleWindows.Hold hold = toJoin ? RuleWindows.Hold.NO_RULE : windows.hold(event, watermark);
            if (hold == RuleWindows.Hold.NONE
                    || (hold == RuleWindows.Hold.NO_RULE && behind(event.timestamp, watermark, allowedLateness))) {
                lateRecord(record, ctx);
                return;
            }
            if (hold == RuleWindows.Hold.SOME) {
                lateForSome.inc();
            }
        }
        if (toJoin) {
            ctx.output(TO_JOIN, event);
            return;
        }
        for (EventSelector selector : selectors) {
            if (selector.accepts(event)) {
                out.collect(event);
                return;
            }
        }
        unwatched.inc();
    }

    /** Every record read is counted, and counted again as exactly one of parsed, skipped, dead-lettered. */
    private static final class FormatCounts {
        final JobCounters.Count read;
        final JobCounters.Count parsed;
        final JobCounters.Count skipped;
        final JobCounters.Count deadLettered;

        FormatCounts(JobCounters counters, String format) {
            read = counters.get(FORMAT_GROUP, format, "read");
            parsed = counters.get(FORMAT_GROUP, format, "parsed");
            skipped = counters.get(FORMAT_GROUP, format, "skipped");
            deadLettered = counters.get(FORMAT_GROUP, format, "dead-lettered");
        }
    }
}
