package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.source.TelemetrySources;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import io.scanwatch.job.testing.TestdataGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of files gives the same alerts, to the byte, whatever the order of the records within and across its
 * files: it runs in batch mode, where every operator sees its input sorted by key and event time and nothing is
 * late. Streaming mode (as from Kafka) gives the same alerts on the tidy test data.
 */
class OrderIndependenceITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private final JobRun job = new JobRun();

    private Path replay(String name, List<String> inputs, String... more) throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        List<String> args = JobRun.demo(alerts, inputs);
        args.addAll(List.of(more));
        job.succeeds(args);
        return alerts;
    }

    private static List<String> inputs(Map<String, Path> files) {
        List<String> inputs = new ArrayList<>();
        files.forEach((file, path) -> {
            inputs.add("--input");
            inputs.add(TestdataGenerator.FILES.get(file) + "=" + path);
        });
        return inputs;
    }

    /** The bundled test data, each file as generated. */
    private static Map<String, Path> tidy() {
        Map<String, Path> tidy = new java.util.LinkedHashMap<>();
        TestdataGenerator.FILES.keySet().forEach(file -> tidy.put(file, Testdata.file("telemetry/" + file)));
        return tidy;
    }

    @Test
    void shuffledRecordsAndFilesGiveTheSameAlertsToTheByte() throws Exception {
        Map<String, Path> tidy = tidy();
        Path expected = replay("tidy", inputs(tidy));

        Random random = new Random(11);
        Map<String, Path> shuffled = new java.util.LinkedHashMap<>();
        List<String> names = new ArrayList<>(TestdataGenerator.FILES.keySet());
        Collections.reverse(names);
        for (String file : names) {
            shuffled.put(file, shuffle(Testdata.file("telemetry/" + file), random));
        }
        Path actual = replay("shuffled", inputs(shuffled));

        assertThat(Files.readString(actual)).isEqualTo(Files.readString(expected));
        assertThat(job.err()).containsPattern("late events +0");
    }

    @Test
    void aStreamingReplayOfTidyFilesFindsTheSameAlerts() throws Exception {
        Map<String, Path> tidy = tidy();
        List<String> batch = AlertsFile.summaries(AlertsFile.read(replay("batch", inputs(tidy))));
        List<String> streaming =
                AlertsFile.summaries(AlertsFile.read(replay("streaming", inputs(tidy), "--streaming")));
        assertThat(streaming).containsExactlyInAnyOrderElementsOf(batch);
    }

    /**
     * State read back from RocksDB rather than kept as objects on the heap: an operator that changed what it read
     * without writing it back would lose the change here, and alerts with it. A batch replay keeps its own state
     * backend, and says so.
     */
    @Test
    void aStreamingReplayWithStateInRocksDbFindsTheSameAlerts() throws Exception {
        Map<String, Path> tidy = tidy();
        List<String> batch =
                AlertsFile.summaries(AlertsFile.read(replay("batch", inputs(tidy), "--set", "state.backend=rocksdb")));
        assertThat(job.err()).contains("state.backend=rocksdb applies to streams");
        List<String> rocksDb = AlertsFile.summaries(
                AlertsFile.read(replay("rocksdb", inputs(tidy), "--streaming", "--set", "state.backend=rocksdb")));
        assertThat(rocksDb).containsExactlyInAnyOrderElementsOf(batch);
    }

    /**
     * A JSON-lines file large enough to be read in ranges by both readers of a batch replay (the edge capture, again
     * and again an hour later each time) raises what one reader of a stream replay raises, and every broken line
     * is a dead letter once, placed by byte past the first range.
     */
    @Test
    void aLargeFileReadInRangesFindsWhatOneReaderFinds() throws Exception {
        List<String> capture = Files.readAllLines(Testdata.file("telemetry/zeek/edge-conn.json.log"));
        Path large = dir.resolve("edge-hours.json.log");
        int copies = 0;
        try (var out = Files.newBufferedWriter(large, StandardCharsets.UTF_8)) {
            while (Files.size(large) < 2 * TelemetrySources.MIN_SPLIT_BYTES + (1 << 20)) {
                for (String line : capture) {
                    out.write(later(line, copies * 3_600L));
                    out.write('\n');
                }
                out.flush();
                copies++;
            }
        }
        Path rangesDead = dir.resolve("ranges-dead.jsonl");
        Path oneDead = dir.resolve("one-dead.jsonl");
        List<String> inRanges = AlertsFile.summaries(AlertsFile.read(
                replay("ranges", List.of("--input", "zeek-conn=" + large), "--dead-letters", rangesDead.toString())));
        List<String> oneReader = AlertsFile.summaries(AlertsFile.read(replay(
                "one-reader",
                List.of("--input", "zeek-conn=" + large),
                "--streaming",
                "--dead-letters",
                oneDead.toString())));
        assertThat(inRanges).hasSizeGreaterThan(copies).containsExactlyInAnyOrderElementsOf(oneReader);
        List<String> dead = Files.readAllLines(rangesDead);
        assertThat(dead).hasSameSizeAs(Files.readAllLines(oneDead));
        assertThat(dead).anySatisfy(letter -> assertThat(letter).contains(large + "@"));
    }

    /** The line with its {@code ts} moved on by {@code seconds}; a line without one as it is. */
    private static String later(String line, long seconds) {
        java.util.regex.Matcher ts =
                java.util.regex.Pattern.compile("\"ts\":(\\d+)").matcher(line);
        return ts.find()
                ? line.substring(0, ts.start(1)) + (Long.parseLong(ts.group(1)) + seconds) + line.substring(ts.end(1))
                : line;
    }

    /**
     * The file's records in random order, under the same name (the name is the sensor); header lines (Zeek's
     * {@code #} lines, the VPC header) stay first. nfdump's output keeps its order: its JSON records span lines and
     * its CSV ends with a summary.
     */
    private Path shuffle(Path file, Random random) throws Exception {
        Path copy =
                dir.resolve("shuffled").resolve(file.getParent().getFileName()).resolve(file.getFileName());
        Files.createDirectories(copy.getParent());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (file.getParent().getFileName().toString().equals("nfdump")) {
            Files.write(copy, lines, StandardCharsets.UTF_8);
            return copy;
        }
        List<String> header = new ArrayList<>();
        List<String> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean isHeader = line.startsWith("#") || (i == 0 && line.startsWith("version "));
            (isHeader ? header : records).add(line);
        }
        Collections.shuffle(records, random);
        header.addAll(records);
        Files.write(copy, header, StandardCharsets.UTF_8);
        return copy;
    }
}
