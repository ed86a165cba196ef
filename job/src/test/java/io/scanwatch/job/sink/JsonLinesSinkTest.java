package io.scanwatch.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded run's alerts come out in one order on every run; a stream's as they are raised; a restored writer goes on
 * from its checkpoint.
 */
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

    /**
     * A stream restarted after a failure is restored from its last checkpoint: what the file held then stays, what
     * was written after it is cut off (the records after the checkpoint are read again and raise those lines again),
     * and the writer goes on after it. Opened anew, the file would lose every line before the checkpoint.
     */
    @Test
    void aRestoredWriterKeepsTheLinesOfItsCheckpointAndCutsOffTheRest() throws Exception {
        Path file = dir.resolve("stream.jsonl");
        JsonLinesSink<String> sink = new JsonLinesSink<>("alerts", file, new Text(false));
        byte[] state;
        try (StatefulSinkWriter<String, JsonLinesSink.Written> writer = sink.createWriter(null)) {
            writer.write("first", null);
            writer.write("sécond", null);
            writer.flush(false);
            state = checkpoint(sink, writer);
            writer.write("after the checkpoint", null);
            writer.flush(false);
        }
        assertThat(Files.readAllLines(file)).containsExactly("first", "sécond", "after the checkpoint");
        try (SinkWriter<String> restored = sink.restoreWriter(null, restore(sink, state))) {
            restored.write("after the checkpoint", null);
            restored.write("later", null);
            restored.flush(false);
        }
        assertThat(Files.readAllLines(file)).containsExactly("first", "sécond", "after the checkpoint", "later");
    }

    /**
     * A checkpoint writes the lines held since the last, in their order, and its length counts them: restored, the
     * file keeps them, and those held after the checkpoint come again with the records read again.
     */
    @Test
    void aCheckpointWritesTheHeldLinesInOrderAndKeepsThem() throws Exception {
        Path file = dir.resolve("ordered.jsonl");
        JsonLinesSink<String> sink = new JsonLinesSink<>("alerts", file, new Text(true));
        byte[] state;
        try (StatefulSinkWriter<String, JsonLinesSink.Written> writer = sink.createWriter(null)) {
            writer.write("c", null);
            writer.write("a", null);
            writer.flush(false);
            state = checkpoint(sink, writer);
            writer.write("lost with the failure", null);
        }
        assertThat(Files.readAllLines(file)).containsExactly("a", "c");
        try (SinkWriter<String> restored = sink.restoreWriter(null, restore(sink, state))) {
            restored.write("e", null);
            restored.write("d", null);
            restored.flush(true);
        }
        assertThat(Files.readAllLines(file)).containsExactly("a", "c", "d", "e");
    }

    /** A savepoint of a version whose writer kept no state, or of another file: nothing is cut, lines are added. */
    @Test
    void aWriterRestoredWithoutItsFilesStateEmptiesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("earlier.jsonl"), "from the run before\n");
        JsonLinesSink<String> sink = new JsonLinesSink<>("alerts", file, new Text(false));
        try (SinkWriter<String> restored = sink.restoreWriter(
                null,
                List.of(new JsonLinesSink.Written(dir.resolve("other.jsonl").toString(), 0)))) {
            restored.write("resumed", null);
            restored.flush(false);
        }
        try (SinkWriter<String> restored = sink.restoreWriter(null, List.of())) {
            restored.write("resumed again", null);
            restored.flush(false);
        }
        assertThat(Files.readAllLines(file)).containsExactly("from the run before", "resumed", "resumed again");
        try (SinkWriter<String> fresh = sink.createWriter(null)) {
            fresh.write("a new run", null);
            fresh.flush(true);
        }
        assertThat(Files.readAllLines(file)).containsExactly("a new run");
    }

    /** The state as a checkpoint stores it: through the sink's serializer. */
    private static byte[] checkpoint(
            JsonLinesSink<String> sink, StatefulSinkWriter<String, JsonLinesSink.Written> writer) throws Exception {
        List<JsonLinesSink.Written> states = writer.snapshotState(1);
        assertThat(states).hasSize(1);
        return sink.getWriterStateSerializer().serialize(states.get(0));
    }

    private static List<JsonLinesSink.Written> restore(JsonLinesSink<String> sink, byte[] state) throws Exception {
        SimpleVersionedSerializer<JsonLinesSink.Written> serializer = sink.getWriterStateSerializer();
        return List.of(serializer.deserialize(serializer.getVersion(), state));
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
