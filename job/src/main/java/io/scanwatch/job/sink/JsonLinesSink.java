package io.scanwatch.job.sink;

import io.scanwatch.serial.CompactFields;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * JSON lines to standard output or to a file, written by the task that runs the sink (on the embedded cluster,
 * this process). Run it with parallelism 1: one writer owns the target. Lines are encoded as UTF-8 with what it
 * cannot hold replaced, so content never fails the output; a target that fails (closed pipe, full disk) fails
 * the job with an {@link OutputFailure} naming it. When the format orders its lines (a bounded run's alerts), they
 * are held and written in that order when the input ends, or at a checkpoint, which writes what it holds (a run that
 * checkpoints, writing to Kafka, is in order between its checkpoints); otherwise each is written as it comes, flushed
 * at once to standard output and at every checkpoint to a file.
 *
 * <p>A run's start writes its file anew. A writer restored from a checkpoint (a stream restarting after a failure, a
 * job resumed from its last checkpoint or a savepoint) keeps what the file held at that checkpoint and cuts off what
 * was written after it, since the records after it are read again and raise those lines again: each line once, as
 * the Kafka topic has it.
 */
public final class JsonLinesSink<T> implements Sink<T>, SupportsWriterState<T, JsonLinesSink.Written> {
    private static final long serialVersionUID = 1L;

    /** Thrown when the target cannot be written; its message names the output and the reason. */
    public static final class OutputFailure extends IOException {
        OutputFailure(String what, String target, IOException cause) {
            super("cannot write " + what + " to " + target + ": " + cause.getMessage(), cause);
        }
    }

    /** What a checkpoint keeps of a writer: its file (null for standard output) and the bytes written to it by then. */
    public record Written(String file, long length) {}

    private final String what;
    private final String file;
    private final LineFormat<T> format;

    /** @param file the path to write, or null for standard output */
    public JsonLinesSink(String what, Path file, LineFormat<T> format) {
        this.what = what;
        this.file = file == null ? null : file.toAbsolutePath().toString();
        this.format = format;
    }

    public String target() {
        return file == null ? "standard output" : file;
    }

    @Override
    public StatefulSinkWriter<T, Written> createWriter(WriterInitContext context) throws IOException {
        try {
            if (file == null) {
                return new LineWriter(new CheckedStandardOutput(System.out), 0);
            }
            return new LineWriter(Files.newOutputStream(Paths.get(file)), 0);
        } catch (IOException e) {
            throw new OutputFailure(what, target(), e);
        }
    }

    /**
     * Cuts the file to its length at the checkpoint and writes on after it. A state of another file (the path changed
     * between a savepoint and the run resumed from it), or none (a savepoint of a version that kept none), cuts
     * nothing: a restored run never empties a file.
     */
    @Override
    public StatefulSinkWriter<T, Written> restoreWriter(WriterInitContext context, Collection<Written> states)
            throws IOException {
        long length = -1;
        for (Written written : states) {
            if (Objects.equals(written.file(), file)) {
                length = Math.max(length, written.length());
            }
        }
        if (file == null) {
            return new LineWriter(new CheckedStandardOutput(System.out), 0);
        }
        Path path = Paths.get(file);
        try {
            if (length >= 0 && Files.isRegularFile(path) && Files.size(path) > length) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    channel.truncate(length);
                }
            }
            OutputStream out = Files.newOutputStream(
                    path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new LineWriter(out, Files.isRegularFile(path) ? Files.size(path) : 0);
        } catch (IOException e) {
            throw new OutputFailure(what, target(), e);
        }
    }

    @Override
    public SimpleVersionedSerializer<Written> getWriterStateSerializer() {
        return new WrittenSerializer();
    }

    private final class LineWriter implements StatefulSinkWriter<T, Written> {
        private final Writer out;
        private final CountingStream counted;
        /** The file's length when it was opened: the bytes written before this writer. */
        private final long before;

        private final List<String[]> held = new ArrayList<>();

        LineWriter(OutputStream target, long before) {
            this.counted = new CountingStream(target);
            this.before = before;
            this.out = new BufferedWriter(new OutputStreamWriter(
                    counted,
                    StandardCharsets.UTF_8
                            .newEncoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)));
        }

        @Override
        public void write(T element, Context context) throws IOException {
            String line = format.line(element);
            String key = format.orderKey(element);
            if (key != null) {
                // The line, not the element: with object reuse the element may be overwritten after this call.
                held.add(new String[] {key, line});
                return;
            }
            writeLine(line);
            if (file == null) {
                flushTarget();
            }
        }

        /** Held lines are written when the input ends, or at a checkpoint, whose length then counts them. */
        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (endOfInput || !held.isEmpty()) {
                held.sort(Comparator.comparing((String[] entry) -> entry[0]));
                for (String[] entry : held) {
                    writeLine(entry[1]);
                }
                held.clear();
            }
            flushTarget();
        }

        @Override
        public List<Written> snapshotState(long checkpointId) throws IOException {
            flushTarget();
            return List.of(new Written(file, before + counted.count));
        }

        private void writeLine(String line) throws IOException {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                throw new OutputFailure(what, target(), e);
            }
        }

        private void flushTarget() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new OutputFailure(what, target(), e);
            }
        }

        /**
         * Everything was flushed at the end of input or failed already; Flink also closes a failed writer, and an
         * exception from that close would be fatal to the whole TaskManager, so it is never thrown.
         */
        @Override
        public void close() {
            try {
                if (file != null) {
                    out.close();
                } else {
                    out.flush();
                }
            } catch (IOException e) {
                // Reported when the write or the final flush failed.
            }
        }
    }

    /** Counts the bytes that reach the target: after a flush, how far the file is written. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    /** A writer's state in checkpoints and savepoints. */
    static final class WrittenSerializer implements SimpleVersionedSerializer<Written> {
        /** 2: the file and its length. Version 1 (development builds of a day) held ordered lines too: refused. */
        private static final int VERSION = 2;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(Written written) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeBoolean(written.file() != null);
            if (written.file() != null) {
                CompactFields.writeText(written.file(), out);
            }
            out.writeLong(written.length());
            return out.getCopyOfBuffer();
        }

        @Override
        public Written deserialize(int version, byte[] serialized) throws IOException {
            if (version != VERSION) {
                throw new IOException("an output file writer's state of version " + version + ", this build reads "
                        + VERSION + ": start without that checkpoint, or give the output another file");
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            String file = in.readBoolean() ? CompactFields.readText(in) : null;
            return new Written(file, in.readLong());
        }
    }

    /** A {@link PrintStream} swallows write errors; this reports them. */
    private static final class CheckedStandardOutput extends OutputStream {
        private final PrintStream out;

        CheckedStandardOutput(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            check();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            check();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            check();
        }

        private void check() throws IOException {
            if (out.checkError()) {
                throw new IOException("standard output is closed or full");
            }
        }
    }
}
