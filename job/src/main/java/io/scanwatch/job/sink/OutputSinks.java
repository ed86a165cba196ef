package io.scanwatch.job.sink;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.ControlConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ControlStatus;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.sink.search.AlertDocuments;
import io.scanwatch.job.sink.search.SearchSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Every output of the job as a Flink sink, chosen from the command line and the configuration: alerts to standard
 * output, a file, Kafka and/or a search cluster (Elasticsearch, OpenSearch), dead letters to a file and/or Kafka.
 */
public final class OutputSinks {
    private OutputSinks() {}

    /**
     * Each output's operator uid, with the option or setting that asks for it: a savepoint names an operator by a
     * hash of its uid, and one of an output left out refuses the start.
     */
    public static final Map<String, String> SETTING_BY_UID = Map.of(
            "alerts-stdout", "alerts to standard output (no --alerts)",
            "alerts-file", "--alerts",
            "dead-letters-file", "--dead-letters",
            "control-status-file", "control.status-file",
            "kafka-alerts-sink", "kafka.alerts-topic",
            "kafka-dead-letters-sink", "kafka.dead-letters-topic",
            "kafka-control-status-sink", "control.status-topic",
            "search-alerts-sink", "search.urls");

    /**
     * Where the outputs go: files (null for none), whether alerts also go to standard output, and whether to the
     * configured Kafka topics.
     */
    public record Plan(Path alertsFile, Path deadLettersFile, boolean alertsToStandardOutput, boolean kafka) {}

    /** Where alerts and dead letters go, for the summary: targets joined by commas, empty for none. */
    public record Targets(String alerts, String deadLetters) {}

    /**
     * Attaches the sinks; returns where alerts and dead letters go, for the summary.
     *
     * @param controlStatuses what became of each control record; null without live control
     */
    public static Targets attach(
            DataStream<Alert> alerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<ControlStatus> controlStatuses,
            Plan plan,
            ScanwatchConfig config) {
        List<String> alertTargets = new ArrayList<>();
        List<String> deadLetterTargets = new ArrayList<>();
        // A bounded run's alerts come out in time order, the same bytes on every run; a stream's as they are raised.
        AlertLines alertLines =
                new AlertLines(config.alerting().sampleSize(), !config.kafka().unbounded());
        if (plan.alertsToStandardOutput()) {
            alertTargets.add(lines(alerts, new JsonLinesSink<>("alerts", null, alertLines), "alerts-stdout"));
        }
        if (plan.alertsFile() != null) {
            alertTargets.add(
                    lines(alerts, new JsonLinesSink<>("alerts", plan.alertsFile(), alertLines), "alerts-file"));
        }
        if (plan.deadLettersFile() != null) {
            deadLetterTargets.add(lines(
                    deadLetters,
                    new JsonLinesSink<>("dead letters", plan.deadLettersFile(), DeadLetterJson::write),
                    "dead-letters-file"));
        }
        if (plan.kafka()) {
            KafkaConfig kafka = config.kafka();
            alerts.sinkTo(KafkaSinks.alerts(kafka, config.alerting().sampleSize()))
                    .name("alerts to kafka: " + kafka.alertsTopic())
                    .uid("kafka-alerts-sink");
            alertTargets.add("kafka topic " + kafka.alertsTopic());
            if (!kafka.deadLettersTopic().isBlank()) {
                deadLetters
                        .sinkTo(KafkaSinks.deadLetters(kafka))
                        .name("dead letters to kafka: " + kafka.deadLettersTopic())
                        .uid("kafka-dead-letters-sink");
                deadLetterTargets.add("kafka topic " + kafka.deadLettersTopic());
            }
        }
        if (controlStatuses != null) {
            ControlConfig control = config.control();
            if (!control.statusFile().isBlank()) {
                lines(
                        controlStatuses,
                        new JsonLinesSink<>(
                                "control statuses", Path.of(control.statusFile()), ControlStatusJson::write),
                        "control-status-file");
            }
            if (!control.statusTopic().isBlank()) {
                controlStatuses
                        .sinkTo(KafkaSinks.controlStatuses(config.kafka(), control.statusTopic()))
                        .name("control statuses to kafka: " + control.statusTopic())
                        .uid("kafka-control-status-sink")
                        // In the order the changes were read, as the file sink writes them.
                        .setParallelism(1);
            }
        }
        SearchConfig search = config.search();
        if (search.enabled()) {
            alerts.sinkTo(new SearchSink<>(
                            new AlertDocuments(search.index(), config.alerting().sampleSize()), search))
                    .name("alerts to " + search)
                    .uid("search-alerts-sink");
            alertTargets.add(search.toString());
        }
        return new Targets(String.join(", ", alertTargets), String.join(", ", deadLetterTargets));
    }

    private static <T> String lines(DataStream<T> stream, JsonLinesSink<T> sink, String uid) {
        stream.sinkTo(sink)
                .name(uid.replace('-', ' ') + ": " + sink.target())
                .uid(uid)
                .setParallelism(1);
        return sink.target();
    }
}
