package io.scanwatch.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bounded run's alerts come out in one order on every run; a stream's as they are raised. */
class JsonLinesSinkTest {
    @TempDir
    Path dir;

    /** Lines as given, ordered by their own text when asked. */
    private record Text(boolean ordered) implements LineFormat<String> {
        @Override
        public String line(String element) {
            return element;
        }

        @Override
        public String orderKey(String element) {
            return ordered ? element : null;
        }
    }

    @Test
    void orderedLinesAreHeldAndWrittenInOrderWhenTheInputEnds() throws Exception {
        Path file = dir.resolve("ordered.jsonl");
        try (SinkWriter<String> writer = new JsonLinesSink<>("alerts", file, new Text(true)).createWriter(null)) {
            writer.write("b", null);
            writer.write("a", null);
            assertThat(Files.readString(file)).isEmpty();
            writer.flush(true);
        }
        assertThat(Files.readAllLines(file)).containsExactly("a", "b");
    }

    @Test
    void otherwiseEachLineIsWrittenAsItComes() throws Exception {
        Path file = dir.resolve("stream.jsonl");
        try (SinkWriter<String> writer = new JsonLinesSink<>("alerts", file, new Text(false)).createWriter(null)) {
            writer.write("b", null);
            writer.flush(false);
            assertThat(Files.readAllLines(file)).containsExactly("b");
            writer.write("a", null);
            writer.flush(false);
        }
        assertThat(Files.readAllLines(file)).containsExactly("b", "a");
    }

    @Test
    void alertsAreOrderedOnlyWhenTheRunIsBounded() {
        Alert alert = alert(0, "b1");
        assertThat(new AlertLines(10, true).orderKey(alert)).contains("network_scan|203.0.113.7|");
        assertThat(new AlertLines(10, false).orderKey(alert)).isNull();
    }

    /** An episode's alerts of one instant: its new alert first, then the roll-up, whatever their ids' hashes. */
    @Test
    void anEpisodesAlertsOfOneInstantComeInTheirSequence() {
        AlertLines lines = new AlertLines(10, true);
        assertThat(lines.orderKey(alert(0, "b1"))).isLessThan(lines.orderKey(alert(1, "a1")));
    }

    private static Alert alert(int sequence, String id) {
        Alert alert = new Alert();
        alert.detection = new Detection();
        alert.detection.windowEnd = 60_000;
        alert.detection.rule = "network_scan";
        alert.detection.sourceIp = "203.0.113.7";
        alert.sequence = sequence;
        alert.id = id;
        return alert;
    }
}
