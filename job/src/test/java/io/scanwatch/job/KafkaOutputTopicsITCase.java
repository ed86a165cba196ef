package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.source.KafkaPreflight;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers set not to create topics on a first write, as many production clusters are: a topic the job would write
 * that does not exist is named before the start, not found by the first alert's write.
 */
class KafkaOutputTopicsITCase {
    @RegisterExtension
    @Order(1)
    static final KafkaBroker KAFKA = new KafkaBroker(Map.of("auto.create.topics.enable", "false"));

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final Duration PREFLIGHT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private record Run(int status, String err) {}

    private static Run run(List<String> args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8)).run(args.toArray(String[]::new));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> replayToKafka(Path alerts, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"),
                "--config",
                Testdata.file("scanwatch-demo.yaml").toString(),
                "--alerts",
                alerts.toString(),
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--quiet"));
        for (String setting : settings) {
            args.add("--set");
            args.add(setting);
        }
        return args;
    }

    @Test
    void aReplayToTopicsTheBrokersWillNotCreateIsRefusedUntilTheyExist() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        Files.writeString(alerts, "the last run's alerts\n");
        List<String> args =
                replayToKafka(alerts, "kafka.alerts-topic=scan-alerts", "kafka.dead-letters-topic=scan-dead-letters");

        Run refused = run(args);

        assertThat(refused.status()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err())
                .contains("kafka.alerts-topic: topic 'scan-alerts', kafka.dead-letters-topic: topic"
                        + " 'scan-dead-letters' do not exist on " + KAFKA.bootstrapServers())
                .contains("(auto.create.topics.enable=false): create them, or name existing ones (its topics: [")
                .doesNotContain("__");
        assertThat(alerts).as("refused before any output was touched").hasContent("the last run's alerts");

        KAFKA.createTopic("scan-alerts", 1);
        KAFKA.createTopic("scan-dead-letters", 1);
        Run ran = run(args);

        assertThat(ran.status()).as(ran.err()).isZero();
        assertThat(AlertsFile.read(alerts)).isNotEmpty();
        assertThat(KAFKA.readCommitted("scan-alerts")).hasSameSizeAs(AlertsFile.read(alerts));
    }

    @Test
    void aMissingStatusTopicIsNamedBesideAnExistingControlTopic() throws Exception {
        KAFKA.createTopic("scan-control", 1, Map.of("cleanup.policy", "compact"));

        Run refused = run(replayToKafka(
                dir.resolve("alerts.jsonl"),
                "kafka.alerts-topic=",
                "control.kafka-topic=scan-control",
                "control.status-topic=scan-control-status"));

        assertThat(refused.status()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err())
                .contains("control.status-topic: topic 'scan-control-status' does not exist")
                .contains("create it, or name an existing one")
                .doesNotContain("scan-control'");
    }

    /**
     * A compacted topic refuses records without a key: the connector's writer, failing on the first dead letter,
     * took the embedded cluster's TaskManager down with it, and the job stayed up without a word or an alert.
     */
    @Test
    void aCompactedOutputTopicIsRefusedAtStart() throws Exception {
        KAFKA.createTopic("compacted-alerts", 1);
        KAFKA.createTopic("compacted-dead-letters", 1, Map.of("cleanup.policy", "compact"));
        Path alerts = dir.resolve("alerts.jsonl");

        Run refused = run(replayToKafka(
                alerts, "kafka.alerts-topic=compacted-alerts", "kafka.dead-letters-topic=compacted-dead-letters"));

        assertThat(refused.status()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err())
                .contains("kafka.dead-letters-topic: topic 'compacted-dead-letters' (cleanup.policy=compact) is"
                        + " compacted: such a topic refuses records without a key")
                .doesNotContain("'compacted-alerts'");
        assertThat(KAFKA.readCommitted("compacted-alerts")).isEmpty();
    }

    /** Brokers refuse a producer whose transactions may outlast their maximum: the job restarted for ever, mute. */
    @Test
    void aTransactionTimeoutPastTheBrokersMaximumIsRefusedAtStart() throws Exception {
        KAFKA.createTopic("long-transactions", 1);
        List<String> args = replayToKafka(
                dir.resolve("alerts.jsonl"),
                "kafka.alerts-topic=long-transactions",
                "kafka.dead-letters-topic=",
                "kafka.transaction-timeout=2h");

        Run refused = run(args);

        assertThat(refused.status()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err())
                .contains("kafka.transaction-timeout (PT2H) is past the brokers' transaction.max.timeout.ms (PT1H)");
        args.set(args.indexOf("kafka.transaction-timeout=2h"), "kafka.transaction-timeout=1h");
        Run ran = run(args);
        assertThat(ran.status()).as("at the maximum: " + ran.err()).isZero();
        assertThat(KAFKA.readCommitted("long-transactions")).isNotEmpty();
    }

    /** From a client beside a cluster: brokers that answer without a topic they will not create refuse as well. */
    @Test
    void aClientBesideAClusterIsRefusedAsTheJobIs() {
        Map<String, String> settings = Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "kafka.alerts-topic", "scan-alerts-elsewhere",
                "kafka.dead-letters-topic", "");
        assertThatThrownBy(() ->
                        KafkaPreflight.checkFromClient(Detectors.configLoader().load(null, settings), PREFLIGHT))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.alerts-topic: topic 'scan-alerts-elsewhere' does not exist on "
                        + KAFKA.bootstrapServers() + ", and the brokers do not create topics");
    }
}
