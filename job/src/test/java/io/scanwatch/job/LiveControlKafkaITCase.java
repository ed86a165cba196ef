package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.job.config.ConfigLoader;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.StreamingJob;
import io.scanwatch.job.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live control from a compacted Kafka topic, against a real broker, and from a watched directory: a bad record and
 * a change are read from the topic, their statuses written to the status topic; the job is stopped with a
 * savepoint and resumed, and the change, read before the stop and never again, still judges the telemetry that
 * comes after; a change dropped into the directory while the resumed job runs applies from its time.
 */
class LiveControlKafkaITCase {
    @RegisterExtension
    @Order(1)
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    /** The topic's records once {@code done} holds for them; a failure naming what came, after two minutes. */
    private static List<JsonNode> await(String topic, Predicate<List<JsonNode>> done) {
        List<JsonNode> values = KAFKA.awaitCommitted(topic, done, Duration.ofMinutes(2));
        assertThat(done.test(values))
                .as("waiting for " + topic + ", got " + values)
                .isTrue();
        return values;
    }

    @Test
    void aChangeOnACompactedTopicIsCheckedAppliedAndKeptAcrossARestart(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        KAFKA.createTopic("control", 1, Map.of("cleanup.policy", "compact"));
        KAFKA.createTopic("control-status", 1);
        KAFKA.createTopic("telemetry-live", 2);
        KAFKA.createTopic("alerts-live", 2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "control");
            assertThat(admin.describeConfigs(List.of(topic))
                            .all()
                            .get()
                            .get(topic)
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
        }
        KAFKA.produceKeyed(
                "control",
                "scanwatch",
                List.of(
                        "{\"version\": \"typo\", \"set\": {\"network-scan\": {\"distinct-host-above\": 5}}}",
                        "{\"version\": \"lower-hosts\", \"from\": \"2026-03-02T09:00:00Z\","
                                + " \"set\": {\"network-scan\": {\"distinct-hosts-above\": 5}}}"));

        Path watched = Files.createDirectories(dir.resolve("control.d"));
        ConfigLoader loader = Detectors.configLoader();
        ObjectNode tree = loader.tree(
                Testdata.file("scanwatch-demo.yaml"),
                Map.ofEntries(
                        Map.entry("kafka.bootstrap-servers", KAFKA.bootstrapServers()),
                        Map.entry("kafka.inputs", "[{topic: telemetry-live, format: zeek-conn}]"),
                        Map.entry("kafka.starting-offsets", "earliest"),
                        Map.entry("kafka.alerts-topic", "alerts-live"),
                        Map.entry("kafka.dead-letters-topic", ""),
                        Map.entry("kafka.idleness", "1s"),
                        Map.entry("control.kafka-topic", "control"),
                        Map.entry("control.status-topic", "control-status"),
                        Map.entry("control.file", watched.toString()),
                        Map.entry("control.watch-interval", "500ms"),
                        Map.entry("checkpointing.interval", "500ms")));
        ScanwatchConfig config = loader.load(tree);

        JobClient first = StreamingJob.start(config, tree, 2, null, "scanwatch live control");
        List<JsonNode> statuses = await("control-status", values -> values.size() == 2);
        assertThat(statuses.get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(statuses.get(0).get("reason").asText())
                .contains("distinct-host-above")
                .contains("unknown key");
        assertThat(statuses.get(0).get("origin").asText()).isEqualTo("control/0@0");
        assertThat(statuses.get(1).get("status").asText()).isEqualTo("accepted");
        // The statuses come from the control's task; a savepoint needs every task running, the alerts' sink too.
        CommonTestUtils.waitForAllTaskRunning(cluster, first.getJobID(), false);
        String savepoint = first.stopWithSavepoint(
                        false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        JobClient second = StreamingJob.start(config, tree, 2, savepoint, "scanwatch live control, resumed");
        // Written beside the directory and renamed into it, so that it is never read half written.
        Path change = dir.resolve("label.json");
        Files.writeString(
                change,
                "{\"version\": \"label-research\", \"from\": \"2026-03-02T09:15:00Z\", \"set\": {\"known-scanners\":"
                        + " [{\"label\": \"research\", \"cidrs\": [\"198.51.100.0/24\"], \"policy\": \"keep\"}]}}\n");
        Files.move(change, watched.resolve("label.json"), StandardCopyOption.ATOMIC_MOVE);
        JsonNode dropped = await("control-status", values -> values.size() == 3).get(2);
        assertThat(dropped.get("version").asText()).isEqualTo("label-research");
        assertThat(dropped.get("status").asText()).isEqualTo("accepted");
        assertThat(dropped.get("origin").asText())
                .as("the file of the directory, to mend")
                .isEqualTo("file " + watched.resolve("label.json") + ":1");

        List<String> telemetry =
                new ArrayList<>(Files.readAllLines(Testdata.file("telemetry/zeek/edge-conn.json.log")));
        // Newer traffic on both partitions moves the watermark past the capture's windows, as on a live topic.
        for (int i = 0; i < 2; i++) {
            telemetry.add("{\"ts\":1772451000.0,\"id.orig_h\":\"10.20.1.10\",\"id.orig_p\":4000" + i
                    + ",\"id.resp_h\":\"203.0.113.9\",\"id.resp_p\":443,\"proto\":\"tcp\",\"conn_state\":\"SF\","
                    + "\"history\":\"ShADadFf\",\"orig_bytes\":500,\"resp_bytes\":900}");
        }
        KAFKA.produce("telemetry-live", telemetry, 2);
        try {
            // Both scanners' alerts: each sink subtask commits its own transaction, so one may show before the other.
            List<JsonNode> alerts = await(
                    "alerts-live",
                    values -> List.of("198.51.100.200", "203.0.113.50").stream()
                            .allMatch(source -> values.stream()
                                    .anyMatch(a -> a.at("/rule/name").asText().equals("network_scan")
                                            && a.at("/source/ip").asText().equals(source))));
            assertThat(alerts)
                    .filteredOn(a -> a.at("/source/ip").asText().equals("203.0.113.50"))
                    .as("12 hosts fire only under the change, which the resumed job has from its savepoint")
                    .anySatisfy(a -> assertThat(a.at("/rule/name").asText()).isEqualTo("network_scan"))
                    .extracting(a -> a.at("/scanwatch/config_version").asText())
                    .containsOnly("lower-hosts");
            assertThat(alerts)
                    .filteredOn(a -> a.at("/rule/name").asText().equals("network_scan")
                            && a.at("/source/ip").asText().equals("198.51.100.200"))
                    .allSatisfy(a -> {
                        assertThat(a.at("/scanwatch/source_label").asText()).isEqualTo("research");
                        assertThat(a.at("/scanwatch/config_version").asText()).isEqualTo("label-research");
                    });
            assertThat(KAFKA.readCommittedJson("control-status"))
                    .as("no control record was read again")
                    .hasSize(3);
        } finally {
            second.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void aControlTopicThatDoesNotExistStopsTheStartSayingWhatToDo() throws Exception {
        ConfigLoader loader = Detectors.configLoader();
        ObjectNode tree = loader.tree(
                Testdata.file("scanwatch-demo.yaml"),
                Map.of(
                        "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                        "kafka.inputs", "[{topic: telemetry-none, format: zeek-conn}]",
                        "control.kafka-topic", "no-such-control"));
        assertThatThrownBy(() -> StreamingJob.start(loader.load(tree), tree, 1, null, "scanwatch without its topic"))
                .hasMessageContaining("control.kafka-topic: topic no-such-control does not exist")
                .hasMessageContaining("cleanup.policy=compact");
    }
}
