package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.TestCluster;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job, as the quick start runs it, on the bundled test data: the exact set of alerts with their key
 * evidence ({@code testdata/expected/alerts.tsv}), dead letters, the summary, and the same bytes on a second run.
 * Regenerate the golden file after an intended change with {@code -Dscanwatch.update-golden=true}.
 */
class ScanwatchJobITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private final JobRun job = new JobRun();

    private Path replay(String name) throws Exception {
        return replay(name, Testdata.explicitInputs());
    }

    private Path replay(String name, List<String> inputs) throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        List<String> args = JobRun.demo(alerts, inputs);
        args.addAll(List.of("--dead-letters", dir.resolve(name + "-dead.jsonl").toString()));
        job.succeeds(args);
        return alerts;
    }

    @Test
    void aCaptureCompressedWithGzipOrXzRaisesWhatThePlainOneRaises() throws Exception {
        Path capture = Testdata.file("telemetry/zeek/edge-conn.json.log");
        List<String> plain = JobRun.demoReplay(capture, dir);
        byte[] bytes = Files.readAllBytes(capture);
        Path gz = dir.resolve("gz").resolve("edge-conn.json.log.gz");
        Path xz = dir.resolve("xz").resolve("edge-conn.json.log.xz");
        Files.createDirectories(gz.getParent());
        Files.createDirectories(xz.getParent());
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(bytes);
        }
        try (var out =
                new org.tukaani.xz.XZOutputStream(Files.newOutputStream(xz), new org.tukaani.xz.LZMA2Options())) {
            out.write(bytes);
        }
        assertThat(JobRun.demoReplay(gz, dir)).containsExactlyElementsOf(plain);
        assertThat(JobRun.demoReplay(xz, dir)).containsExactlyElementsOf(plain);
    }

    @Test
    void findsExactlyTheScansInTheTestData() throws Exception {
        List<JsonNode> alerts = AlertsFile.read(replay("run"));
        List<String> summaries = AlertsFile.summaries(alerts);
        Path golden = Testdata.file("expected/alerts.tsv");
        if (Boolean.getBoolean("scanwatch.update-golden")) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, summaries);
        }
        assertThat(summaries).containsExactlyElementsOf(Files.readAllLines(golden));

        JsonNode mongodb = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("mongodb_scan_internal_external"))
                .findFirst()
                .orElseThrow();
        assertThat(mongodb.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(mongodb.at("/event/severity").asInt()).isEqualTo(73);
        assertThat(mongodb.at("/network/direction").asText()).isEqualTo("outbound");
        assertThat(mongodb.at("/threat/technique/id"))
                .extracting(JsonNode::asText)
                .containsExactly("T1046", "T1595");
        assertThat(mongodb.at("/scanwatch/top_ports/0/port").asInt()).isEqualTo(27017);
        assertThat(mongodb.at("/scanwatch/sample_targets")).hasSize(10);

        JsonNode intrusion = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("scan_then_logon_success")
                        && a.at("/source/ip").asText().equals("203.0.113.50"))
                .findFirst()
                .orElseThrow();
        assertThat(intrusion.at("/event/severity").asInt())
                .as("a login at a host the scan probed")
                .isEqualTo(99);
        assertThat(intrusion.at("/threat/technique/id"))
                .extracting(JsonNode::asText)
                .containsExactly("T1595", "T1078");
        assertThat(intrusion.at("/scanwatch/follows/rule").asText()).isEqualTo("connscan_external_internal");
        assertThat(intrusion.at("/scanwatch").has("scope")
                        || intrusion.at("/scanwatch/follows").has("scope"))
                .as("neither a correlation nor connscan judges a shape: no empty scope")
                .isFalse();
        JsonNode inside = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("scan_then_logon_success")
                        && a.at("/source/ip").asText().equals("10.20.11.5"))
                .findFirst()
                .orElseThrow();
        assertThat(inside.at("/threat/technique/id"))
                .as("from inside: discovery, then lateral movement, not initial access")
                .extracting(JsonNode::asText)
                .containsExactly("T1046", "T1021");
        assertThat(inside.at("/threat/tactic/name"))
                .extracting(JsonNode::asText)
                .containsExactly("Discovery", "Lateral Movement");
        assertThat(intrusion.at("/scanwatch/logons/targets/0").asText()).isEqualTo("10.20.5.15");
        assertThat(intrusion.at("/scanwatch/logons/users"))
                .as("Zeek's ssh.log logs no accounts")
                .isEmpty();
        assertThat(intrusion.at("/scanwatch/logons/logged_on/0/target").asText())
                .isEqualTo("10.20.5.15");
        assertThat(inside.at("/scanwatch/logons/logged_on/0/user").asText())
                .as("the account that got in, named")
                .isNotBlank();
    }

    @Test
    void reportsDeadLettersAndSummary() throws Exception {
        replay("run");
        List<String> dead = Files.readAllLines(dir.resolve("run-dead.jsonl"));
        assertThat(dead)
                .as("one broken record per file, five in the edge capture")
                .hasSize(13);
        assertThat(String.join("\n", dead))
                .contains("is not an IP address: '10.20.1.300'")
                .contains("id.resp_p is not a port: '99999'")
                .contains("ts is not a time: 'abc'")
                .contains("malformed JSON")
                .contains("row has 4 columns")
                .contains("edge-conn.json.log:481")
                .contains("\"format\":\"sshd\",\"reason\":\"no syslog timestamp: 'Mar 32 09:20:00'\"")
                .contains("\"format\":\"windows-json\"")
                .contains("\"format\":\"nfdump-json\"");
        String summary = job.err();
        assertThat(summary)
                .containsPattern("records read +3,596")
                .containsPattern("zeek-conn +2,259 parsed, 9 skipped, 5 dead letters")
                .containsPattern("sshd +14 parsed, 8 skipped, 1 dead letters")
                .containsPattern("authorized scanners +80 events")
                .containsPattern("late events +0")
                .containsPattern("network_scan +14")
                .containsPattern("scan_then_logon +3")
                .containsPattern("scan_then_logon_success +3");
    }

    @Test
    void autoDetectionFindsTheSameAlerts() throws Exception {
        String explicit = sortedLines(replay("explicit"));
        String auto = sortedLines(replay("auto", List.of("--input", Testdata.everyFileAuto())));
        assertThat(auto).isEqualTo(explicit);
    }

    /**
     * A run of the command line leaves nothing in the temporary directory: Flink extracts its RPC jar (21 MB) and
     * a working directory there at every start and left both behind. What a run that could not clean up left (its
     * lock free: its process gone) goes with the next run; a live process's directory (its lock held) stays.
     */
    @Test
    void aRunLeavesNoTemporaryFilesBehind() throws Exception {
        Path temporary = Files.createDirectory(dir.resolve("tmp"));
        // Both older than a minute: a directory just made may not hold its lock yet.
        FileTime before = FileTime.fromMillis(System.currentTimeMillis() - 120_000);
        Path leftBehind = Files.createDirectory(temporary.resolve("scanwatch-1-aaaaaa"));
        Files.setLastModifiedTime(Files.writeString(leftBehind.resolve(".lock"), ""), before);
        Files.writeString(leftBehind.resolve("flink-rpc-akka.jar"), "21 MB");
        Path live = Files.createDirectory(temporary.resolve("scanwatch-2-bbbbbb"));
        // Dated before it is locked: touching a file drops the locks this process holds on it (POSIX).
        Files.setLastModifiedTime(Files.writeString(live.resolve(".lock"), ""), before);
        // Held here as the live run's process holds it.
        FileChannel liveLock = FileChannel.open(live.resolve(".lock"), StandardOpenOption.WRITE);
        liveLock.lock();
        ChildJvm.Result result = ChildJvm.run(
                dir,
                List.of("-Djava.io.tmpdir=" + temporary),
                ScanwatchJob.class,
                List.of(
                        "--quiet",
                        "--input",
                        "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"),
                        "--alerts",
                        dir.resolve("child-alerts.jsonl").toString()),
                300);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(dir.resolve("child-alerts.jsonl")).isNotEmptyFile();
        try (Stream<Path> left = Files.list(temporary)) {
            assertThat(left).containsExactly(live);
        }
        liveLock.close();
    }

    @Test
    void aReplayIsDeterministicToTheByte() throws Exception {
        String first = Files.readString(replay("first"));
        String second = Files.readString(replay("second"));
        assertThat(second).isEqualTo(first);
    }

    /**
     * Sensors in other zones than {@code parsing.timezone}'s (UTC in the demo): the bastion's auth.log written in New
     * York time, the firewall's kernel log in India's, each input naming its zone, raise what the UTC originals
     * raise, at the same times. Read in UTC instead, the scanner's guesses at the bastion would be five hours after
     * its scan, out of reach, and the scan-then-logon alerts change.
     */
    @Test
    void inputsOfSensorsInOtherZonesNameTheirOwn() throws Exception {
        Path zoned = Files.createDirectory(dir.resolve("zoned"));
        Path auth = inZone(Testdata.file("telemetry/sshd/bastion-auth.log"), "America/New_York", zoned);
        Path kernel = inZone(Testdata.file("telemetry/netfilter/fw-kern.log"), "Asia/Kolkata", zoned);
        List<String> inputs = new java.util.ArrayList<>(Testdata.explicitInputs());
        List<String> inZones = inputs.stream()
                .map(input -> input.startsWith("sshd=")
                        ? "sshd@America/New_York=" + auth
                        : input.startsWith("netfilter=") ? "netfilter@Asia/Kolkata=" + kernel : input)
                .toList();
        assertThat(inZones).as("both files replaced").contains("sshd@America/New_York=" + auth);
        assertThat(inZones).contains("netfilter@Asia/Kolkata=" + kernel);
        String utc = sortedLines(replay("utc", inputs));
        String inTheirZones = sortedLines(replay("zoned", inZones))
                .replace(
                        auth.toString(),
                        Testdata.file("telemetry/sshd/bastion-auth.log").toString())
                .replace(
                        kernel.toString(),
                        Testdata.file("telemetry/netfilter/fw-kern.log").toString());
        assertThat(inTheirZones).isEqualTo(utc);

        List<String> readInUtc = AlertsFile.summaries(AlertsFile.read(replay(
                "unzoned",
                inZones.stream()
                        .map(input -> input.replace("@America/New_York", "").replace("@Asia/Kolkata", ""))
                        .toList())));
        assertThat(readInUtc)
                .as("the zones matter")
                .isNotEqualTo(Files.readAllLines(Testdata.file("expected/alerts.tsv")));
    }

    /** A copy of a log of traditional syslog lines stamped in UTC, as a sensor in {@code zone} writes it. */
    private static Path inZone(Path log, String zone, Path dir) throws Exception {
        int year = 2026; // the demo configuration's parsing.syslog-year
        var stamp = java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ROOT);
        var stamped = java.time.format.DateTimeFormatter.ofPattern("yyyy MMM ppd HH:mm:ss", java.util.Locale.ROOT);
        List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            try {
                lines.add(stamp.format(java.time.LocalDateTime.parse(year + " " + line.substring(0, 15), stamped)
                                .atOffset(java.time.ZoneOffset.UTC)
                                .atZoneSameInstant(java.time.ZoneId.of(zone)))
                        + line.substring(15));
            } catch (java.time.format.DateTimeParseException e) {
                lines.add(line); // the test data's broken stamps (a 32nd of March) stay broken
            }
        }
        return Files.write(dir.resolve(log.getFileName()), lines);
    }

    private static String sortedLines(Path file) throws Exception {
        return Files.readAllLines(file).stream().sorted().collect(Collectors.joining("\n"));
    }
}
