package io.scanwatch.job.correlate;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.config.ScanwatchConfig.CorrelationConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import io.scanwatch.net.NetworkClassifier;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.OutputTag;

/** Wires the correlation: scan alerts and logons keyed by source, the CEP patterns, their detections. */
public final class ScanThenLogon {
    /** Correlation input older than the watermark: counted, never matched. */
    static final OutputTag<CorrelationEvent> LATE = new OutputTag<>("late-correlation") {};

    private ScanThenLogon() {}

    /**
     * The detections of the patterns; their late input is counted once ({@link CountLateCorrelation}).
     *
     * @param scanAlerts streams of scan alerts, each read where it is made (the alerts, and the word that a scan goes
     *     on, are two outputs of one operator: read as their union, neither would chain to it, and every alert would
     *     cross the network with its evidence)
     */
    public static DataStream<Detection> detect(
            List<DataStream<Alert>> scanAlerts,
            DataStream<AuthEvent> logons,
            CorrelationConfig config,
            NetworkClassifier classifier,
            int distinctCap) {
        TypeInformation<CorrelationEvent> type = TypeInformation.of(CorrelationEvent.class);
        long grace = config.logonGrace().toMillis();
        DataStream<CorrelationEvent> scans = null;
        for (DataStream<Alert> alerts : scanAlerts) {
            DataStream<CorrelationEvent> waited = alerts.process(new ScanReport(), type)
                    .name("scan alerts for correlation")
                    .transform(
                            "wait for the scan alerts up to " + config.scanAlertsWait(),
                            type,
                            new WaitForScanAlerts<>(config.scanAlertsWait().toMillis()));
            scans = scans == null ? waited : scans.union(waited);
        }
        DataStream<CorrelationEvent> attempts = logons.map(CorrelationEvent::of, type)
                .name("logons for correlation")
                .transform("shift logons by the grace of " + config.logonGrace(), type, new TimeShift<>(grace));
        KeyedStream<CorrelationEvent, String> bySource = scans.union(attempts).keyBy(e -> e.sourceIp);

        SingleOutputStreamOperator<Detection> failures = match(
                bySource,
                ScanThenLogonPatterns.failures(config, classifier),
                new ScanThenLogonMatch(ScanThenLogonMatch.Matched.FAILURES, config, classifier, distinctCap),
                "scan-then-logon");
        SingleOutputStreamOperator<Detection> successes = match(
                bySource,
                ScanThenLogonPatterns.success(config, classifier),
                new ScanThenLogonMatch(ScanThenLogonMatch.Matched.SUCCESS, config, classifier, distinctCap),
                "scan-then-logon-success");
        SingleOutputStreamOperator<Detection> continued = match(
                bySource,
                ScanThenLogonPatterns.continuation(config, classifier),
                new ScanThenLogonMatch(ScanThenLogonMatch.Matched.CONTINUATION, config, classifier, distinctCap),
                "scan-then-logon-continued");
        // The patterns read the same input under the same watermark, so they find the same records late: counted
        // from one, each is counted once.
        failures.getSideOutput(LATE)
                .process(new CountLateCorrelation())
                .name("count late correlation input")
                .sinkTo(new DiscardingSink<>())
                .name("late correlation input");
        return failures.union(successes, continued);
    }

    /** What {@code CEP.pattern(...).inEventTime().sideOutputLateData(LATE).process(...)} builds, leak mended. */
    private static SingleOutputStreamOperator<Detection> match(
            KeyedStream<CorrelationEvent, String> bySource,
            Pattern<CorrelationEvent, ?> pattern,
            ScanThenLogonMatch onMatch,
            String id) {
        TypeSerializer<CorrelationEvent> serializer = bySource.getType()
                .createSerializer(bySource.getExecutionConfig().getSerializerConfig());
        return bySource.transform(
                        "correlate " + id,
                        TypeInformation.of(Detection.class),
                        new QuietKeyCleaningCepOperator<>(
                                serializer,
                                NFACompiler.compileFactory(pattern, false),
                                pattern.getAfterMatchSkipStrategy(),
                                onMatch,
                                new CorrelationOrder(),
                                LATE))
                .uid("correlate-" + id);
    }
}
