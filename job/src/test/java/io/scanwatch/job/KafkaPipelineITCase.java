package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.sink.OutputSinks;
import io.scanwatch.job.source.KafkaPreflight;
import io.scanwatch.job.source.KafkaTelemetry;
import io.scanwatch.job.source.TelemetryInput;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.DemoTopic;
import io.scanwatch.job.testing.KafkaBroker;
import io.scanwatch.job.testing.StreamingJob;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.ZeekLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kafka in, Kafka out, against a real broker: telemetry produced to a topic, the job on a MiniCluster with
 * checkpointing and exactly-once output, alerts read back with {@code isolation.level=read_committed}. The alerts
 * must be exactly those the file replay of the same capture raises, each exactly once.
 */
class KafkaPipelineITCase {
    @RegisterExtension
    @Order(1)
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO_CAPTURE = Testdata.file("telemetry/zeek/edge-conn.json.log");

    @TempDir
    Path dir;

    private int run(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return status;
    }

    /**
     * The demo configuration on one Zeek conn topic, read to the offsets that are its end at the start, checkpoints
     * each second; {@code settings} each given with {@code --set}, then {@code args}.
     */
    private void demoToTheEnd(String topic, List<String> settings, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "--kafka-bootstrap",
                KAFKA.bootstrapServers(),
                "--config",
                Testdata.file("scanwatch-demo.yaml").toString(),
                "--set",
                "kafka.inputs=[{topic: " + topic + ", format: zeek-conn}]",
                "--set",
                "kafka.bounded=true",
                "--set",
                "checkpointing.interval=1s",
                "--quiet"));
        for (String setting : settings) {
            command.addAll(List.of("--set", setting));
        }
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private static ScanwatchConfig inputs(String bootstrap, String inputs) {
        return Detectors.configLoader()
                .load(null, Map.of("kafka.bootstrap-servers", bootstrap, "kafka.inputs", inputs));
    }

    /** Before an embedded job starts: a mistyped topic and a broker that does not answer are named at once. */
    @Test
    void aMissingTopicOrAnUnansweringBrokerIsSaidBeforeTheStart() throws Exception {
        KAFKA.createTopic("preflight-edge", 1);
        assertThat(KafkaPreflight.check(
                        inputs(KAFKA.bootstrapServers(), "[{topic: preflight-edge, format: zeek-conn}]"),
                        Duration.ofSeconds(20)))
                .isEmpty();
        ScanwatchConfig mistyped = inputs(
                KAFKA.bootstrapServers(),
                "[{topic: preflight-edge, format: zeek-conn}, {topic: preflight-egde, format: sshd}]");
        assertThatThrownBy(() -> KafkaPreflight.check(mistyped, Duration.ofSeconds(20)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "kafka.inputs[1]: topic 'preflight-egde' does not exist on " + KAFKA.bootstrapServers())
                .hasMessageContaining("preflight-edge")
                .hasMessageNotContaining("__");
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        ScanwatchConfig nobody = inputs("localhost:" + unused, "[{topic: preflight-edge, format: zeek-conn}]");
        assertThatThrownBy(() -> KafkaPreflight.check(nobody, Duration.ofMinutes(5)))
                .as("a closed port is known without waiting for the admin client's timeout")
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "kafka.bootstrap-servers: nothing listens at localhost:" + unused + " (connection refused)");
        ScanwatchConfig controller = inputs(KAFKA.controllers(), "[{topic: preflight-edge, format: zeek-conn}]");
        assertThatThrownBy(() -> KafkaPreflight.check(controller, Duration.ofSeconds(20)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "kafka.bootstrap-servers: " + KAFKA.controllers() + " is not a broker's" + " listener")
                .hasMessageContaining("a KRaft controller's port?");
        try (ServerSocket silent = new ServerSocket(0)) {
            // Takes connections (the kernel's backlog) and never answers, as a port of another program may.
            ScanwatchConfig mute = inputs(
                    "localhost:" + unused + ",localhost:" + silent.getLocalPort(),
                    "[{topic: preflight-edge, format: zeek-conn}]");
            assertThatThrownBy(() -> KafkaPreflight.check(mute, Duration.ofSeconds(2)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("kafka.bootstrap-servers: no broker at localhost:" + unused + ",localhost:"
                            + silent.getLocalPort() + " answered within 2 s");
        }

        // From a client beside a cluster: brokers it cannot reach or even resolve are a warning (the TaskManagers
        // may reach them), a topic the brokers answer without is refused as before.
        assertThat(KafkaPreflight.checkFromClient(nobody, Duration.ofSeconds(2)))
                .singleElement()
                .satisfies(warning -> assertThat(warning).contains("not checked from this client"));
        assertThat(KafkaPreflight.checkFromClient(
                        inputs("kafka.invalid:9092", "[{topic: preflight-edge, format: zeek-conn}]"),
                        Duration.ofSeconds(2)))
                .singleElement()
                .satisfies(warning -> assertThat(warning).contains("kafka.invalid:9092"));
        assertThatThrownBy(() -> KafkaPreflight.checkFromClient(mistyped, Duration.ofSeconds(20)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'preflight-egde' does not exist");
    }

    @Test
    void alertsFromATopicAreThoseOfTheFileReplayEachExactlyOnce() throws Exception {
        Path capture = Testdata.file("telemetry/zeek/edge-conn.json.log");
        KAFKA.createTopic("telemetry-edge", 2);
        KAFKA.createTopic("alerts", 2);
        KAFKA.createTopic("dead-letters", 1);
        // Poison ahead of the capture: a field that breaks the parser, and text that is not a record at all.
        List<String> telemetry = new ArrayList<>(List.of(
                "{\"ts\":\"\",\"id.orig_h\":\"203.0.113.9\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.1\","
                        + "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\"}",
                "\uD83D\uDE00 {\"ts\": [[[[[["));
        telemetry.addAll(Files.readAllLines(capture));
        KAFKA.produce("telemetry-edge", telemetry, 2);
        long started = System.currentTimeMillis();

        List<String> expected = JobRun.demoReplay(capture, dir);

        demoToTheEnd(
                "telemetry-edge",
                List.of(
                        "kafka.starting-offsets=earliest",
                        "kafka.alerts-topic=alerts",
                        "kafka.dead-letters-topic=dead-letters"),
                "--parallelism",
                "2");

        List<ConsumerRecord<String, String>> records = KAFKA.readCommitted("alerts");
        List<JsonNode> alerts = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode alert = JSON.readTree(record.value());
            assertThat(record.key()).isEqualTo(alert.at("/source/ip").asText());
            assertThat(record.timestamp())
                    .as("alerts are timestamped when written, whatever their event time")
                    .isGreaterThanOrEqualTo(started);
            alerts.add(alert);
        }
        assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
        assertThat(alerts.stream().map(a -> a.at("/event/id").asText()).distinct())
                .hasSameSizeAs(alerts);
        assertThat(KAFKA.readCommitted("dead-letters"))
                .as("the capture's four broken records and the two poison records")
                .hasSize(6)
                .allSatisfy(r -> assertThat(r.value()).contains("\"origin\":\"telemetry-edge/"))
                .anySatisfy(r -> assertThat(r.value()).contains("missing ts"));
    }

    /**
     * A job that starts in the middle of a partition of Zeek TSV (restored from a checkpoint, or resuming from its
     * group's committed offsets, as here) has the partition's header far behind it: it reads it back from the
     * partition, so no row is a dead letter, and the alerts are those of a replay of the header and the rows from
     * there on (the capture's later scan; its earlier one ended before).
     */
    @Test
    void aTsvLogReadFromItsMiddleFindsItsHeaderBackInThePartition() throws Exception {
        Path capture = Testdata.file("telemetry/zeek/branch-conn.tsv.log");
        List<String> lines = Files.readAllLines(capture);
        int header =
                (int) lines.stream().takeWhile(line -> line.startsWith("#")).count();
        int middle = header + 300;
        KAFKA.createTopic("telemetry-branch", 1);
        KAFKA.createTopic("alerts-branch", 1);
        KAFKA.createTopic("dead-letters-branch", 1);
        KAFKA.produceKeyed("telemetry-branch", "branch-conn.tsv.log", lines);
        KAFKA.commit("tsv-from-the-middle", "telemetry-branch", 0, middle);
        List<String> rest = new ArrayList<>(lines.subList(0, header));
        rest.addAll(lines.subList(middle, lines.size()));
        Path restFile = Files.write(dir.resolve("branch-rest.tsv.log"), rest);
        List<String> expected = JobRun.demoReplay(restFile, dir);

        demoToTheEnd(
                "telemetry-branch",
                List.of(
                        "kafka.starting-offsets=committed",
                        "kafka.group-id=tsv-from-the-middle",
                        "kafka.alerts-topic=alerts-branch",
                        "kafka.dead-letters-topic=dead-letters-branch"));

        assertThat(KAFKA.readCommitted("dead-letters-branch")).isEmpty();
        assertThat(AlertsFile.summaries(KAFKA.readCommittedJson("alerts-branch")))
                .containsExactlyElementsOf(expected);
    }

    /**
     * nfpcapd writes flows as they expire, so their start times run up to ~70 s out of order. Produced to a topic
     * in file order and read as a stream, within nfdump's 3-minute bound, no record is late and the alerts are
     * those of the file replay (which runs in batch mode, where nothing is ever late). A partition that has not had a
     * record yet is idle after {@code kafka.idleness} (README, "Event time and late data"): a loaded machine once took longer than
     * the default 30 s to fetch one's first record, the other moved the pairing of one-way flows past its answers,
     * and DNS queries answered in the file counted as probes. The bound is what is tried here, not that timeout.
     * The same export printed in another zone is read in the zone its topic names ({@code timezone}).
     */
    @Test
    void exportsOutOfOrderWithinTheirFormatsBoundAreNeverLateOnATopic() throws Exception {
        Path capture = Testdata.file("captures/nfpcapd-flows.csv");
        KAFKA.createTopic("netflow", 2);
        KAFKA.produce("netflow", Files.readAllLines(capture), 2);
        assertThat(maxDisorderMillis(capture))
                .as("the export is really out of order, but within the 3-minute bound")
                .isBetween(10_000L, 180_000L);

        Path replayed = dir.resolve("netflow-replay.jsonl");
        run("--input", "nfdump-csv=" + capture, "--alerts", replayed.toString(), "--quiet", "--parallelism", "2");
        List<String> expected = AlertsFile.summaries(AlertsFile.read(replayed));
        assertThat(expected).isNotEmpty();

        List<JsonNode> streamed = streamedNetflow("[{topic: netflow, format: nfdump-csv}]", "netflow-stream.jsonl");
        assertThat(AlertsFile.summaries(streamed)).containsExactlyInAnyOrderElementsOf(expected);

        // nfdump prints flows in the local time of the machine it runs on: the same export printed in New York, on a
        // topic that names that zone, raises the same alerts at the same instants.
        KAFKA.createTopic("netflow-ny", 2);
        KAFKA.produce("netflow-ny", inNewYork(Files.readAllLines(capture)), 2);
        List<JsonNode> fromNewYork = streamedNetflow(
                "[{topic: netflow-ny, format: nfdump-csv, timezone: America/New_York}]", "netflow-ny.jsonl");
        assertThat(fromNewYork.stream().map(JsonNode::toString).sorted())
                .containsExactlyElementsOf(
                        streamed.stream().map(JsonNode::toString).sorted().toList());
    }

    /** The alerts of a run on {@code inputs} (nfdump topics) with nothing late, written to {@code file}. */
    private List<JsonNode> streamedNetflow(String inputs, String file) throws Exception {
        Path streamed = dir.resolve(file);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(
                        "--kafka-bootstrap",
                        KAFKA.bootstrapServers(),
                        "--set",
                        "kafka.inputs=" + inputs,
                        "--set",
                        "kafka.bounded=true",
                        "--set",
                        "kafka.starting-offsets=earliest",
                        "--set",
                        "kafka.idleness=10m",
                        "--set",
                        "kafka.alerts-topic=",
                        "--alerts",
                        streamed.toString(),
                        "--parallelism",
                        "2");
        String summary = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(summary).isZero();
        assertThat(summary).containsPattern("late events +0\\b");
        return AlertsFile.read(streamed);
    }

    /** nfdump's CSV rows, printed in UTC, as nfdump prints them in New York (their first two columns). */
    private static List<String> inNewYork(List<String> rows) {
        var printed = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        List<String> local = new ArrayList<>();
        for (String row : rows) {
            String[] columns = row.split(",", 3);
            for (int i = 0; i < 2; i++) {
                columns[i] = printed.format(java.time.LocalDateTime.parse(columns[i], printed)
                        .atOffset(java.time.ZoneOffset.UTC)
                        .atZoneSameInstant(java.time.ZoneId.of("America/New_York")));
            }
            local.add(String.join(",", columns));
        }
        return local;
    }

    /**
     * A partition that falls silent while records are still to come must not make them late when they come. Here
     * they wait behind an open transaction (a job reading read_committed cannot pass it; a broker outage hides
     * them the same way): partition 1 holds a record, then a scan, partition 0 twenty minutes of traffic after it. Silence for
     * the idleness timeout alone would take partition 1 for idle and let partition 0 move the watermark twenty
     * minutes on, so the scan, once committed, would be late and unseen. Read to its end it is not: it holds the
     * watermark, and the scan is found, with nothing late.
     */
    @Test
    void aPartitionSilentWithRecordsStillToReadHoldsTheWatermarkAndNothingIsLate() throws Exception {
        KAFKA.createTopic("comeback", 2);
        KAFKA.createTopic("alerts-comeback", 1);
        long t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        String scanner = "198.51.100.77";
        Properties transactional = new Properties();
        transactional.put("bootstrap.servers", KAFKA.bootstrapServers());
        transactional.put("transactional.id", "late-exporter");
        try (KafkaProducer<String, String> exporter =
                new KafkaProducer<>(transactional, new StringSerializer(), new StringSerializer())) {
            exporter.initTransactions();
            exporter.beginTransaction();
            exporter.send(new ProducerRecord<>(
                    "comeback", 1, null, ZeekLines.connection(t0, "10.0.1.7", "203.0.113.20", 443, true)));
            exporter.commitTransaction();
            exporter.beginTransaction();
            for (String probe : ZeekLines.sshSweep(t0 + 60_000, scanner)) {
                exporter.send(new ProducerRecord<>("comeback", 1, null, probe));
            }
            exporter.flush();

            List<String> traffic = ZeekLines.steadyTraffic(t0, t0 + 20 * 60_000);
            KAFKA.produce("comeback", traffic, 1);

            ScanwatchConfig config = quickToIdle(
                    "[{topic: comeback, format: zeek-conn, max-out-of-orderness: 10s}]",
                    "alerts-comeback",
                    Map.of("kafka.properties", "{isolation.level: read_committed}"));
            JobClient job = StreamingJob.start(config, 2, null, "scanwatch comeback");
            try {
                // The condition under test is processing time passing in silence: several idleness timeouts, after
                // the job has read partition 0 to its end. Waiting is the test here, not synchronisation.
                awaitRecordsRead(job, "zeek-conn", traffic.size() + 1);
                Thread.sleep(5_000);
                exporter.commitTransaction();
                KAFKA.produce(
                        "comeback",
                        List.of(
                                ZeekLines.connection(t0 + 60 * 60_000, "10.0.1.5", "203.0.113.20", 443, true),
                                ZeekLines.connection(t0 + 60 * 60_000, "10.0.1.6", "203.0.113.20", 443, true)),
                        2);

                List<JsonNode> alerts =
                        KAFKA.awaitCommitted("alerts-comeback", read -> !read.isEmpty(), Duration.ofMinutes(2));
                assertThat(alerts)
                        .anySatisfy(a -> assertThat(a.at("/source/ip").asText()).isEqualTo(scanner));
                assertThat(job.getAccumulators().get(1, TimeUnit.MINUTES).get("events.all.late"))
                        .as("late events")
                        .isIn(null, 0L);
            } finally {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * A scan that comes after every topic fell quiet is still followed by its logons, whichever topic wakes first.
     * The logons reach the correlation by a shorter way than the scan alerts: when the conn topic came back, the
     * logons' channel brought its new watermark there while the scan alerts' channel was still idle, and the scan's
     * alert arrived behind it, late ("late scan alerts" in the summary), so the logons after it matched nothing. And a
     * logon topic that woke first (sshd's lines reach Kafka in seconds, flows and Zeek's records minutes later) moved
     * the detectors past the probes, which made their alert late as well.
     */
    @ParameterizedTest(name = "logons first: {0}")
    @ValueSource(booleans = {false, true})
    void aScanAfterEveryTopicFellQuietIsStillFollowedByItsLogons(boolean logonsFirst) throws Exception {
        String conn = "lull-conn-" + logonsFirst;
        String ssh = "lull-ssh-" + logonsFirst;
        String alertsTopic = "alerts-lull-" + logonsFirst;
        KAFKA.createTopic(conn, 1);
        KAFKA.createTopic(ssh, 1);
        KAFKA.createTopic(alertsTopic, 1);
        long t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        String scanner = "198.51.100.88";
        List<String> before = ZeekLines.steadyTraffic(t0, t0 + 2 * 60_000);
        KAFKA.produce(conn, before, 1);
        ScanwatchConfig config = quickToIdle(
                "[{topic: " + conn + ", format: zeek-conn}, {topic: " + ssh + ", format: zeek-ssh}]",
                alertsTopic,
                Map.of());
        JobClient job = StreamingJob.start(config, 2, null, "scanwatch lull");
        try {
            // The condition under test is every topic falling quiet, which only processing time passing in silence
            // brings: several idleness timeouts. Waiting is the test here, not synchronisation.
            awaitRecordsRead(job, "zeek-conn", before.size());
            Thread.sleep(5_000);
            long scan = t0 + 60 * 60_000;
            List<String> probes = ZeekLines.sshSweep(scan, scanner);
            List<String> logon = List.of(ZeekLines.sshLogon(scan + 3 * 60_000, scanner, "10.0.9.7", 1, true));
            if (logonsFirst) {
                KAFKA.produce(ssh, logon, 1);
                awaitRecordsRead(job, "zeek-ssh", 1);
                // The logon's watermark goes out with the next periodic emission (200 ms); its racing ahead of the
                // probes is the case under test, so it is given the time to.
                Thread.sleep(1_000);
                KAFKA.produce(conn, probes, 1);
                awaitRecordsRead(job, "zeek-conn", before.size() + probes.size());
            } else {
                KAFKA.produce(conn, probes, 1);
                KAFKA.produce(ssh, logon, 1);
                // Read before the later traffic: a logon read more than the logon grace behind the conn topic is
                // late by design (the README's limit), which is not the case under test.
                awaitRecordsRead(job, "zeek-conn", before.size() + probes.size());
                awaitRecordsRead(job, "zeek-ssh", 1);
            }
            // Later traffic moves the watermark past the logon and the correlation's wait.
            KAFKA.produce(
                    conn,
                    List.of(ZeekLines.connection(scan + 2 * 60 * 60_000, "10.0.1.5", "203.0.113.20", 443, true)),
                    1);

            // Both: the scan's alert and the correlation's reach the topic through different channels, in either order.
            List<JsonNode> alerts = alertsOnceAllOf(alertsTopic, "network_scan", "scan_then_logon_success");
            assertThat(alerts)
                    .as("the scan, then the logon at a host it probed")
                    .anySatisfy(a -> assertThat(a.at("/rule/name").asText()).isEqualTo("network_scan"))
                    .anySatisfy(a -> {
                        assertThat(a.at("/rule/name").asText()).isEqualTo("scan_then_logon_success");
                        assertThat(a.at("/source/ip").asText()).isEqualTo(scanner);
                    });
            assertThat(job.getAccumulators().get(1, TimeUnit.MINUTES).get("events.all.late-scan-alerts"))
                    .as("late scan alerts")
                    .isIn(null, 0L);
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * A conn topic that falls quiet for good after a scan holds the logons at the correlation only for
     * {@code correlation.scan-alerts-wait}: then they go on alone, and the logon after the scan still matches. Held
     * for ever, the correlation would keep every logon since, and match none.
     */
    @Test
    void logonsGoOnAloneOnceTheConnTopicStoodStillForTheWait() throws Exception {
        KAFKA.createTopic("still-conn", 1);
        KAFKA.createTopic("still-ssh", 1);
        KAFKA.createTopic("alerts-still", 1);
        long scan = Instant.parse("2026-03-02T11:00:00Z").toEpochMilli();
        String scanner = "198.51.100.89";
        List<String> conn = new ArrayList<>(ZeekLines.sshSweep(scan, scanner));
        // Later traffic closes the scan's windows; then the conn topic says nothing more.
        conn.add(ZeekLines.connection(scan + 10 * 60_000, "10.0.1.5", "203.0.113.20", 443, true));
        KAFKA.produce("still-conn", conn, 1);
        ScanwatchConfig config = quickToIdle(
                "[{topic: still-conn, format: zeek-conn}, {topic: still-ssh, format: zeek-ssh}]",
                "alerts-still",
                Map.of("correlation.scan-alerts-wait", "3s"));
        JobClient job = StreamingJob.start(config, 2, null, "scanwatch conn topic still");
        try {
            assertThat(alertsOnceAllOf("alerts-still", "network_scan")).isNotEmpty();
            // The logon after the scan, and later logon traffic that moves the logons' way past it.
            KAFKA.produce(
                    "still-ssh",
                    List.of(
                            ZeekLines.sshLogon(scan + 20 * 60_000, scanner, "10.0.9.7", 1, true),
                            ZeekLines.sshLogon(scan + 2 * 60 * 60_000, "10.0.1.5", "10.0.9.8", 1, true)),
                    1);
            assertThat(alertsOnceAllOf("alerts-still", "scan_then_logon_success"))
                    .as("the logon at a probed host, though no connection came after it")
                    .anySatisfy(a -> {
                        assertThat(a.at("/rule/name").asText()).isEqualTo("scan_then_logon_success");
                        assertThat(a.at("/source/ip").asText()).isEqualTo(scanner);
                    });
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /** The topic's alerts once an alert of each of the rules is among them, or after two minutes. */
    private static List<JsonNode> alertsOnceAllOf(String topic, String... rules) {
        return KAFKA.awaitCommitted(
                topic,
                alerts -> Stream.of(rules)
                        .allMatch(rule -> alerts.stream()
                                .anyMatch(a -> a.at("/rule/name").asText().equals(rule))),
                Duration.ofMinutes(2));
    }

    /**
     * A search cluster that is down holds up neither the checkpoints nor the alerts they commit to Kafka: its alerts
     * wait in the sink's buffer, which checkpoints keep. A checkpoint used to wait for the sink's requests pausing
     * before a retry (a minute at the longest) and expire, failing the job.
     */
    @Test
    void aSearchClusterThatIsDownHoldsUpNeitherCheckpointsNorTheKafkaAlerts() throws Exception {
        DemoTopic.produce(KAFKA, "telemetry-outage", DEMO_CAPTURE);
        KAFKA.createTopic("alerts-outage", 2);
        List<String> expected = JobRun.demoReplay(DEMO_CAPTURE, dir);

        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "kafka.inputs", "[{topic: telemetry-outage, format: zeek-conn}]",
                "kafka.starting-offsets", "earliest",
                "kafka.alerts-topic", "alerts-outage",
                "kafka.dead-letters-topic", "",
                "search.urls", "[http://127.0.0.1:9]",
                "search.progress-timeout", "10m",
                "checkpointing.interval", "500ms",
                "checkpointing.timeout", "10s"));
        // One expired checkpoint fails the job for good, rather than a restart hiding it. 10 s: the old bug's
        // pauses before a retry grew past it within the run, while a loaded machine's stall does not reach it.
        settings.put("restart.strategy", "fixed-delay");
        settings.put("restart.attempts", "0");
        ScanwatchConfig config = Detectors.configLoader().load(Testdata.file("scanwatch-demo.yaml"), settings);
        JobClient job = StreamingJob.start(config, 2, null, "scanwatch search outage");
        try {
            List<JsonNode> alerts = KAFKA.awaitCommitted(
                    "alerts-outage",
                    read -> read.size() >= expected.size(),
                    Duration.ofMinutes(2),
                    () -> !job.getJobStatus().join().isGloballyTerminalState());
            assertThat(job.getJobStatus().get())
                    .as(() -> failure(job))
                    .isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
            assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * An embedded stream runs until its process is stopped: stopped by a signal (SIGTERM here, Ctrl-C alike), it
     * says what it read and raised before it goes, where it used to end without a word.
     */
    @Test
    void anEmbeddedStreamStoppedByASignalSaysWhatItDid() throws Exception {
        int produced = DemoTopic.produce(KAFKA, "telemetry-stopped", DEMO_CAPTURE);
        KAFKA.createTopic("alerts-stopped", 2);
        int expected = JobRun.demoReplay(DEMO_CAPTURE, dir).size();

        Process child = ChildJvm.start(
                dir,
                List.of("-Xmx512m"),
                ScanwatchJob.class,
                List.of(
                        "--kafka-bootstrap", KAFKA.bootstrapServers(),
                        "--config", Testdata.file("scanwatch-demo.yaml").toString(),
                        "--set", "kafka.inputs=[{topic: telemetry-stopped, format: zeek-conn}]",
                        "--set", "kafka.starting-offsets=earliest",
                        "--set", "kafka.alerts-topic=alerts-stopped",
                        "--set", "kafka.dead-letters-topic=",
                        "--set", "checkpointing.interval=500ms"));
        try {
            assertThat(KAFKA.awaitCommitted(
                            "alerts-stopped", read -> read.size() >= expected, Duration.ofMinutes(2), child::isAlive))
                    .as("the stream commits its alerts (it runs: %s)", child.isAlive())
                    .hasSizeGreaterThanOrEqualTo(expected);
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("ends once stopped")
                    .isTrue();
        } finally {
            child.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("child.err"));
        assertThat(err).contains("scanwatch: stopped in ").contains(" -> kafka topic alerts-stopped");
        // The counters reach the client with the TaskManager's heartbeats (every second): read at a stop, they may
        // lag its last second.
        assertThat(counted(err, "records read")).isBetween(1L, (long) produced);
        assertThat(counted(err, "alerts")).as("never more than were raised").isLessThanOrEqualTo(expected);
    }

    /** The number on the summary's line that starts with {@code label}. */
    private static long counted(String summary, String label) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^  " + label + " +([0-9,]+)")
                .matcher(summary);
        assertThat(line.find()).as("a line '%s' in:%n%s", label, summary).isTrue();
        return Long.parseLong(line.group(1).replace(",", ""));
    }

    /** Why the job failed, each cause of the chain on a line. */
    private static String failure(JobClient job) {
        try {
            job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
            return "no failure";
        } catch (Exception e) {
            StringBuilder causes = new StringBuilder();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                causes.append('\n').append(cause);
            }
            return causes.toString();
        }
    }

    /**
     * A stream of the inputs from their start to the alerts topic, at least once and without dead letters, whose
     * partitions are idle after a second of silence at their end; {@code more} settings on top.
     */
    private static ScanwatchConfig quickToIdle(String inputs, String alertsTopic, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "network.internal-cidrs", "[10.0.0.0/8]",
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "kafka.inputs", inputs,
                "kafka.starting-offsets", "earliest",
                "kafka.idleness", "1s",
                "kafka.alerts-topic", alertsTopic,
                "kafka.dead-letters-topic", "",
                "kafka.delivery", "at-least-once"));
        settings.putAll(more);
        return Detectors.configLoader().load(null, settings);
    }

    /** Waits until the job has read at least {@code records} records (its per-format counters), under a deadline. */
    private static void awaitRecordsRead(JobClient job, String format, long records) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            Object parsed = job.getAccumulators().get(1, TimeUnit.MINUTES).get("format." + format + ".parsed");
            if (parsed != null && ((Number) parsed).longValue() >= records) {
                return;
            }
            assertThat(Instant.now()).as("the job reads the topic").isBefore(deadline);
            Thread.sleep(100); // polling the job's counters; the wait ends when they reach the count
        }
    }

    /** How far, at most, a record's start time lies behind the newest start time before it in the file. */
    private static long maxDisorderMillis(Path csv) throws Exception {
        long newest = Long.MIN_VALUE;
        long disorder = 0;
        for (String line : Files.readAllLines(csv)) {
            long start =
                    Instant.parse(line.split(",")[0].replace(' ', 'T') + "Z").toEpochMilli();
            newest = Math.max(newest, start);
            disorder = Math.max(disorder, newest - start);
        }
        return disorder;
    }

    /** Fails the job once, on the marker record, which the test sends only after two checkpoints completed. */
    static final class FailOnMarker extends RichMapFunction<TelemetryRecord, TelemetryRecord>
            implements CheckpointListener {
        static final String MARKER = "198.51.100.254";
        static final CountDownLatch CHECKPOINTS = new CountDownLatch(2);
        static final AtomicBoolean FAILED = new AtomicBoolean();

        @Override
        public TelemetryRecord map(TelemetryRecord record) {
            if (record.kind == TelemetryRecord.Kind.CONNECTION
                    && MARKER.equals(record.connection.sourceIp)
                    && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure: the job must recover from its checkpoint");
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.countDown();
        }
    }

    /**
     * The job fails after checkpoints have completed and restarts from the last one: telemetry after it is read
     * again, alerts of aborted transactions are sent again, and the committed alerts are still each expected alert
     * exactly once, in the topic and in the alerts file. The marker, a used connection two hours after the capture,
     * also moves the watermark past the capture's windows, as newer traffic would on a live topic.
     */
    @Test
    void aFailedJobRestartsFromItsCheckpointAndStillWritesEachAlertOnce() throws Exception {
        Path capture = Testdata.file("telemetry/zeek/edge-conn.json.log");
        KAFKA.createTopic("telemetry-recovery", 2);
        KAFKA.createTopic("alerts-recovery", 2);
        KAFKA.produce("telemetry-recovery", Files.readAllLines(capture), 2);
        List<String> expected = JobRun.demoReplay(capture, dir);

        ScanwatchConfig config = Detectors.configLoader()
                .load(
                        Testdata.file("scanwatch-demo.yaml"),
                        Map.of(
                                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                                "kafka.inputs", "[{topic: telemetry-recovery, format: zeek-conn}]",
                                "kafka.starting-offsets", "earliest",
                                "kafka.alerts-topic", "alerts-recovery",
                                "kafka.dead-letters-topic", "",
                                "checkpointing.interval", "500ms"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchJob.flinkConfiguration(config));
        env.setParallelism(2);
        List<TelemetryInput> inputs = new ArrayList<>();
        for (TelemetryInput input : KafkaTelemetry.sources(env, config)) {
            inputs.add(new TelemetryInput(
                    input.id(),
                    input.format(),
                    input.records()
                            .map(new FailOnMarker())
                            .returns(TelemetryRecord.class)
                            .name("fail once")
                            .uid("fail-once")));
        }
        ScanwatchPipeline.Outputs outputs = ScanwatchPipeline.build(inputs, config);
        Path alertsFile = dir.resolve("recovery-alerts.jsonl");
        OutputSinks.attach(
                outputs.alerts(),
                outputs.deadLetters(),
                null,
                new OutputSinks.Plan(alertsFile, null, false, true),
                config);
        JobClient job = env.executeAsync("scanwatch recovery");
        try {
            assertThat(FailOnMarker.CHECKPOINTS.await(2, TimeUnit.MINUTES)).isTrue();
            long later = Instant.parse("2026-03-02T11:30:00Z").getEpochSecond();
            KAFKA.produce(
                    "telemetry-recovery",
                    List.of(
                            String.format(
                                    "{\"ts\":%d.0,\"id.orig_h\":\"%s\","
                                            + "\"id.orig_p\":40000,\"id.resp_h\":\"203.0.113.9\",\"id.resp_p\":443,\"proto\":\"tcp\","
                                            + "\"conn_state\":\"SF\",\"history\":\"ShADadFf\",\"orig_bytes\":500,\"resp_bytes\":900}",
                                    later, FailOnMarker.MARKER),
                            String.format(
                                    "{\"ts\":%d.0,\"id.orig_h\":\"%s\",\"id.orig_p\":40000,"
                                            + "\"id.resp_h\":\"203.0.113.9\",\"id.resp_p\":443,\"proto\":\"tcp\",\"conn_state\":\"SF\","
                                            + "\"history\":\"ShADadFf\",\"orig_bytes\":500,\"resp_bytes\":900}",
                                    later, FailOnMarker.MARKER)),
                    2);

            List<JsonNode> alerts = KAFKA.awaitCommitted(
                    "alerts-recovery", read -> read.size() >= expected.size(), Duration.ofMinutes(2));
            assertThat(FailOnMarker.FAILED).as("the failure was injected").isTrue();
            assertThat(AlertsFile.summaries(alerts)).containsExactlyElementsOf(expected);
            assertThat(alerts.stream().map(a -> a.at("/event/id").asText()).distinct())
                    .hasSameSizeAs(alerts);
            // The file is flushed at the checkpoint that committed them: restored, its writer kept the alerts written
            // before the failure (opened anew, it had emptied the file) and cut off those written again.
            assertThat(AlertsFile.summaries(AlertsFile.read(alertsFile))).containsExactlyElementsOf(expected);
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }
}
