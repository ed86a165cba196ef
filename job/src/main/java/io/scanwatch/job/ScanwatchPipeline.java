package io.scanwatch.job;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.alert.AlertSuppressor;
import io.scanwatch.job.alert.CountAlerts;
import io.scanwatch.job.alert.enrich.EnrichAlerts;
import io.scanwatch.job.alert.policy.ApplyAlertPolicy;
import io.scanwatch.job.alert.policy.MarkPolicyHolds;
import io.scanwatch.job.alert.policy.MarkRaisingTargets;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.control.ChangesReadFirst;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.control.ReadControlChanges;
import io.scanwatch.job.correlate.PlaceLogons;
import io.scanwatch.job.correlate.ScanThenLogon;
import io.scanwatch.job.detect.DetectionRule;
import io.scanwatch.job.detect.EventSelector;
import io.scanwatch.job.detect.PanedWindowDetector;
import io.scanwatch.job.detect.PanedWindowOperator;
import io.scanwatch.job.detect.RuleContext;
import io.scanwatch.job.detect.RuleFilter;
import io.scanwatch.job.detect.RuleKey;
import io.scanwatch.job.detect.RuleRegistry;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.ControlRecord;
import io.scanwatch.job.model.ControlStatus;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.pair.ConversationKey;
import io.scanwatch.job.pair.HoldWatermark;
import io.scanwatch.job.pair.JoinConnectionRecords;
import io.scanwatch.job.route.RouteTelemetry;
import io.scanwatch.job.source.TelemetryInput;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.job.time.ActiveWhileIdle;
import io.scanwatch.job.walk.ContactAttempt;
import io.scanwatch.job.walk.RandomWalkDetector;
import io.scanwatch.job.walk.TrwScan;
import io.scanwatch.net.NetworkClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;

/**
 * The detection topology, independent of where telemetry comes from and where alerts go: route every record,
 * run each enabled rule on its own keyed stream, and turn detections into deduplicated alerts.
 */
public final class ScanwatchPipeline {
    /**
     * The layout of the job's state. A change that a savepoint of the previous layout cannot be restored into (an
     * operator's uid or its state's type changed incompatibly) must raise it, and record a savepoint of the new
     * layout under {@code testdata/savepoints/v<N>} ({@code SavepointCompatibilityITCase} says how).
     */
    public static final int STATE_VERSION = 2;

    private ScanwatchPipeline() {}

    /** The streams a deployment connects to its sinks. */
    public record Outputs(
            DataStream<Alert> alerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<TelemetryRecord> lateRecords,
            DataStream<ControlStatus> controlStatuses) {}

    /**
     * Live control: the control records and the start-up configuration's tree they are laid over.
     *
     * @param records as read from the control file or topic
     */
    public record Control(DataStream<ControlRecord> records, ConfigLayers layers) {}

    /** Settings the pipeline is written for; a deployment may add to them. */
    public static Configuration requiredConfiguration() {
        Configuration conf = new Configuration();
        // Every type on the wire and in state has a Flink serializer; fail at start rather than fall back to Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records on without copying. Safe here: no function keeps a reference to its
        // input, and the only state holding whole records (pending detections) is fed from the network.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    public static Outputs build(List<TelemetryInput> telemetry, ScanwatchConfig config) {
        return build(telemetry, config, null);
    }

    /** @param control live control, or null when the job runs with its start-up configuration only */
    public static Outputs build(List<TelemetryInput> telemetry, ScanwatchConfig config, Control control) {
        if (telemetry.isEmpty()) {
            throw new IllegalArgumentException("no telemetry input");
        }
        RuleContext context = RuleContext.of(config);
        NetworkClassifier classifier = context.classifier();
        int cap = context.distinctCap();
        List<DetectionRule<?>> rules = RuleRegistry.rules(config, context);
        ConfigLayers layers = control == null ? null : control.layers();
        DataStream<ControlStatus> statuses = null;
        // Without control inputs, the first input's router gives a stream without records (below).
        DataStream<ControlChange> changes = null;
        if (control != null) {
            SingleOutputStreamOperator<ControlChange> read = control.records()
                    .process(new ReadControlChanges(layers))
                    .name("check control changes")
                    .uid("read-control-changes")
                    .setParallelism(1);
            changes = read;
            statuses = read.getSideOutput(ReadControlChanges.STATUS);
        }
        RuleConfig<TrwScan.Settings> walk = config.rules().of(TrwScan.SECTION);
        List<EventSelector> selectors = new ArrayList<>(rules);
        TrwScan trwScan = new TrwScan(walk.own().destinations());
        if (walk.common().enabled()) {
            selectors.add(trwScan);
        }
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("every detector is disabled in the configuration");
        }

        // Routing runs chained to each source, so that records no rule wants never cross the network, and each
        // source's lateness is judged against its own watermark.
        List<DataStream<ConnectionEvent>> events = new ArrayList<>();
        DataStream<AuthEvent> authentications = null;
        DataStream<DeadLetter> deadLetters = null;
        DataStream<TelemetryRecord> lateRecords = null;
        DataStream<ConnectionEvent> toJoin = null;
        boolean anyConnections =
                telemetry.stream().anyMatch(input -> !input.format().logonsOnly());
        for (TelemetryInput input : telemetry) {
            SingleOutputStreamOperator<ConnectionEvent> routed = input.records()
                    .process(new RouteTelemetry(classifier, selectors, rules))
                    .name("route telemetry")
                    .uid("route-" + input.id())
                    .setParallelism(input.records().getParallelism());
            authentications = union(authentications, routed.getSideOutput(RouteTelemetry.AUTHENTICATIONS));
            deadLetters = union(deadLetters, routed.getSideOutput(RouteTelemetry.DEAD_LETTERS));
            lateRecords = union(lateRecords, routed.getSideOutput(RouteTelemetry.LATE_EVENTS));
            // A logon topic brings the detectors no connection, only its time: after every topic fell quiet, one
            // that woke first moved them past the connections of topics a minute slower, late.
            if (anyConnections && input.format().logonsOnly()) {
                continue;
            }
            events.add(routed);
            toJoin = union(toJoin, routed.getSideOutput(RouteTelemetry.TO_JOIN));
            if (changes == null) {
                changes = routed.getSideOutput(RouteTelemetry.NO_CONTROL_CHANGES);
            }
        }
        // Only where a format writes a connection more than once: the join's wait holds back the watermark of every
        // rule.
        if (telemetry.stream().anyMatch(input -> input.format().repeatsConnections())) {
            long wait = config.flowPairing().answerWithin().toMillis();
            events.add(toJoin.keyBy(new ConversationKey())
                    .process(new JoinConnectionRecords(config.flowPairing().answerWithin(), selectors, rules))
                    .name("join records of one connection (one-way flows, Windows views)")
                    // Its first name, when it paired one-way flows alone: savepoints hold its state under it.
                    .uid("pair-one-way-flows")
                    .transform(
                            "hold the watermark by the join's wait",
                            events.get(0).getType(),
                            new HoldWatermark<>(wait + 1))
                    .transform(
                            "keep the joined records' way active", events.get(0).getType(), new ActiveWhileIdle<>()));
        }

        DataStream<Detection> detections = null;
        Map<String, List<DetectionRule<?>>> keyedAlike = new LinkedHashMap<>();
        rules.forEach(rule -> keyedAlike
                .computeIfAbsent(rule.keyedBy(), k -> new ArrayList<>())
                .add(rule));
        for (List<DetectionRule<?>> sameKey : keyedAlike.values()) {
            detections = union(detections, keptActive(detect(events, sameKey, changes, layers)));
        }
        if (walk.common().enabled()) {
            detections = union(
                    detections,
                    keptActive(chainedToEach(
                                    events,
                                    stream -> stream.flatMap(trwScan::select, ContactAttempt.TYPE)
                                            .name("select contact attempts with an outcome"))
                            .keyBy(attempt -> attempt.sourceIp)
                            .process(new RandomWalkDetector(walk, classifier, cap))
                            .name("detect trw-scan (random walk)")
                            .uid("detect-trw-scan")));
        }
        // A late record judges again the windows that hold it, for as long as the longest of them. Correlated
        // detections come from CEP, which takes nothing late.
        Duration lateDetectionsWithin = rules.stream()
                .map(DetectionRule::window)
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        Duration stillScanningEvery =
                config.correlation().enabled() ? config.correlation().presumedGoingOn() : Duration.ZERO;
        SingleOutputStreamOperator<Alert> scanAlerts = suppress(
                marked(detections, changes, config, layers, "alert-suppressor"),
                config,
                lateDetectionsWithin,
                stillScanningEvery,
                Duration.ZERO,
                "alert-suppressor");
        DataStream<Alert> alerts = scanAlerts;
        if (config.correlation().enabled()) {
            // Placed once, after the inputs' union rather than on each input: each instance loads the inventory, and
            // logons are few.
            DataStream<AuthEvent> placed =
                    authentications.map(new PlaceLogons(config.inventory())).name("place logons at inventory hosts");
            DataStream<Detection> correlated = ScanThenLogon.detect(
                    List.of(scanAlerts, scanAlerts.getSideOutput(AlertSuppressor.STILL_SCANNING)),
                    placed,
                    config.correlation(),
                    classifier,
                    cap);
            alerts = alerts.union(suppress(
                    marked(correlated, changes, config, layers, "correlation-suppressor"),
                    config,
                    Duration.ZERO,
                    Duration.ZERO,
                    // A match may be held by CEP while an earlier partial one may still complete: up to its bound.
                    config.correlation().within().plus(config.correlation().logonGrace()),
                    "correlation-suppressor"));
        }
        alerts = applyingChanges(
                        alerts,
                        changes,
                        new ApplyAlertPolicy(config, layers),
                        layers,
                        "apply alert policy (allow-list, known scanners, inventory, version)")
                .uid("alert-policy");
        // After the policy: an alert it holds back is never looked up, nor counted as found.
        if (config.enrichment().enabled()) {
            alerts = alerts.map(new EnrichAlerts(config.enrichment()))
                    .name("enrich alerts (source geo and AS)")
                    .uid("enrich-alerts");
        }
        alerts = alerts.map(new CountAlerts()).name("count alerts by rule");
        return new Outputs(alerts, deadLetters, lateRecords, statuses);
    }

    /** One keyed operator for the rules keyed alike: the events they share cross the network once. */
    private static DataStream<Detection> detect(
            List<DataStream<ConnectionEvent>> events,
            List<DetectionRule<?>> rules,
            DataStream<ControlChange> changes,
            ConfigLayers layers) {
        DetectionRule<?> lead = rules.get(0);
        return chainedToEach(
                        events, stream -> stream.filter(new RuleFilter(rules)).name("select " + lead.keyedBy()))
                .keyBy(new RuleKey(lead))
                .connect(changes.broadcast())
                .transform(
                        "detect "
                                + rules.stream()
                                        .map(rule -> rule.id() + " (" + rule.windowKind() + " " + rule.window() + ")")
                                        .collect(Collectors.joining(", ")),
                        TypeInformation.of(Detection.class),
                        new PanedWindowOperator(new PanedWindowDetector(rules, layers)))
                .uid(PanedWindowDetector.uid(rules));
    }

    /**
     * A detector's detections, on a way that is never idle at suppression: the detectors wake one after another when
     * the readers come back after a quiet spell, and the first would move suppression's watermark past what the
     * others raise from the same records ({@link ActiveWhileIdle}).
     */
    private static DataStream<Detection> keptActive(DataStream<Detection> detector) {
        return detector.transform("keep the detections' way active", detector.getType(), new ActiveWhileIdle<>());
    }

    /**
     * Detections marked with what suppression needs of the alert policy: what it would hold back, so that an episode
     * a held-back alert opened does not mute the scan once the policy sends it, and the assets they reached that raise
     * their severity, so that a scan reaching one is told at once: with live control by the policy in effect ({@link
     * MarkPolicyHolds}, whose state a savepoint keeps the accepted changes in), without it by the inventory ({@link
     * MarkRaisingTargets}).
     */
    private static DataStream<Detection> marked(
            DataStream<Detection> detections,
            DataStream<ControlChange> changes,
            ScanwatchConfig config,
            ConfigLayers layers,
            String suppressor) {
        if (layers != null) {
            return applyingChanges(
                            detections,
                            changes,
                            new MarkPolicyHolds(config, layers),
                            layers,
                            "mark what the alert policy holds back and the assets that raise severity (" + suppressor
                                    + ")")
                    .uid(suppressor + "-policy-holds");
        }
        if (config.inventory().holdsAny()) {
            return detections
                    .map(new MarkRaisingTargets(config))
                    .name("mark the assets that raise severity (" + suppressor + ")")
                    .uid(suppressor + "-raising-targets");
        }
        return detections;
    }

    /**
     * A function applying the changes to each record by its time. In a stream with live control, each record waits
     * for the changes there are at start ({@link ChangesReadFirst}). A batch replay reads the changes first; without
     * live control they are a stream without records whose watermark is the telemetry's, and nothing waits.
     */
    private static <T> SingleOutputStreamOperator<T> applyingChanges(
            DataStream<T> records,
            DataStream<ControlChange> changes,
            BroadcastProcessFunction<T, ControlChange, T> function,
            ConfigLayers layers,
            String name) {
        if (layers == null
                || records.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.BATCH) {
            return records.connect(changes.broadcast(ControlTimeline.CHANGES))
                    .process(function)
                    .name(name);
        }
        return records.connect(changes.broadcast())
                .transform(name, records.getType(), new ChangesReadFirst<>(function, records.getType()));
    }

    private static SingleOutputStreamOperator<Alert> suppress(
            DataStream<Detection> detections,
            ScanwatchConfig config,
            Duration lateDetectionsWithin,
            Duration stillScanningEvery,
            Duration logonsWaitForTheirMatch,
            String uid) {
        return detections
                .keyBy(detection -> detection.sourceIp)
                .process(new AlertSuppressor(
                        config.alerting(),
                        config.detection().distinctCap(),
                        config.correlation().maxUsers(),
                        lateDetectionsWithin,
                        stillScanningEvery,
                        logonsWaitForTheirMatch))
                .name("suppress and roll up alerts (" + uid + ")")
                .uid(uid);
    }

    /**
     * The operator on each stream, at that stream's parallelism where it is set, then their union: so it chains to
     * the router before it. An operator after a union of several inputs chains to none of them, and one of unset
     * parallelism takes the job's, not that of a router whose file one reader reads (parallelism 1): either way its
     * records crossed an exchange of their own, in a batch replay a blocking one and a stage. A stream of unset
     * parallelism (the paired one-way flows) leaves it unset, for the scheduler to size both alike.
     */
    private static <T, R> DataStream<R> chainedToEach(
            List<DataStream<T>> streams, Function<DataStream<T>, SingleOutputStreamOperator<R>> operator) {
        DataStream<R> all = null;
        for (DataStream<T> stream : streams) {
            SingleOutputStreamOperator<R> applied = operator.apply(stream);
            if (stream.getTransformation().isParallelismConfigured()) {
                applied.setParallelism(stream.getParallelism());
            }
            all = union(all, applied);
        }
        return all;
    }

    private static <T> DataStream<T> union(DataStream<T> all, DataStream<T> more) {
        return all == null ? more : all.union(more);
    }
}
