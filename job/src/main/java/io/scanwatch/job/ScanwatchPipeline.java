package io.scanwatch.job;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.alert.Alert;
import io.scanwatch.job.alert.AlertSuppressor;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.detect.ConnScanRule;
import io.scanwatch.job.detect.Detection;
import io.scanwatch.job.detect.DetectionRule;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.PanedWindowDetector;
import io.scanwatch.job.detect.RuleFilter;
import io.scanwatch.job.detect.RuleKey;
import io.scanwatch.job.detect.ServiceScanRule;
import io.scanwatch.job.route.RouteTelemetry;
import io.scanwatch.job.source.DeadLetter;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The detection topology, independent of where telemetry comes from and where alerts go: route every record,
 * run each enabled rule on its own keyed stream, and turn detections into deduplicated alerts.
 */
public final class ScanwatchPipeline {
    private ScanwatchPipeline() {}

    /** The streams a deployment connects to its sinks. */
    public record Outputs(
            DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters, DataStream<ConnectionEvent> lateEvents) {}

    public static Outputs build(List<DataStream<TelemetryRecord>> telemetry, ScanwatchConfig config) {
        if (telemetry.isEmpty()) {
            throw new IllegalArgumentException("no telemetry input");
        }
        NetworkClassifier classifier = new NetworkClassifier(
                CidrSet.of(config.network().internalCidrs()), CidrSet.of(config.network().authorizedScanners()));

        DataStream<TelemetryRecord> records = telemetry.get(0);
        for (DataStream<TelemetryRecord> more : telemetry.subList(1, telemetry.size())) {
            records = records.union(more);
        }
        SingleOutputStreamOperator<ConnectionEvent> events = records
                .process(new RouteTelemetry(classifier))
                .name("route telemetry")
                .uid("route-telemetry");

        int cap = config.detection().distinctCap();
        DataStream<Detection> detections = null;
        for (DetectionRule rule : rules(config, classifier)) {
            DataStream<Detection> found = events
                    .filter(new RuleFilter(rule))
                    .name("select " + rule.id())
                    .keyBy(new RuleKey(rule))
                    .process(new PanedWindowDetector(rule, cap))
                    .name("detect " + rule.id() + " (" + rule.windowKind() + " " + rule.window() + ")")
                    .uid("detect-" + rule.id());
            detections = detections == null ? found : detections.union(found);
        }
        if (detections == null) {
            throw new IllegalArgumentException("every detector is disabled in the configuration");
        }
        DataStream<Alert> alerts = detections
                .keyBy(Detection::dedupKey)
                .process(new AlertSuppressor(config.alerting(), cap))
                .name("suppress and roll up alerts")
                .uid("alert-suppressor");
        return new Outputs(alerts, events.getSideOutput(RouteTelemetry.DEAD_LETTERS),
                events.getSideOutput(RouteTelemetry.LATE_EVENTS));
    }

    static List<DetectionRule> rules(ScanwatchConfig config, NetworkClassifier classifier) {
        List<DetectionRule> rules = new ArrayList<>();
        if (config.connscan().enabled()) {
            rules.add(new ConnScanRule(config.connscan()));
        }
        if (config.serviceScan().enabled()) {
            rules.add(new ServiceScanRule(config.serviceScan()));
        }
        if (config.networkScan().enabled()) {
            int cap = config.detection().distinctCap();
            rules.add(NetworkScanRule.tumbling(config.networkScan(), classifier, cap));
            if (config.networkScan().sliding().enabled()) {
                rules.add(NetworkScanRule.sliding(config.networkScan(), classifier, cap));
            }
        }
        return rules;
    }
}
