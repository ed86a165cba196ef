package io.scanwatch.job.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * JSON lines to standard output or to a file, written by the task that runs the sink (on the embedded cluster,
 * this process). Run it with parallelism 1: one writer owns the target. Lines are encoded as UTF-8 with what it
 * cannot hold replaced, so content never fails the output; a target that fails (closed pipe, full disk) fails
 * the job with an {@link OutputFailure} naming it. When the format orders its lines (a bounded run's alerts), they
 * are held and written in that order when the input ends; otherwise each is written as it comes, flushed at once to
 * standard output and at every checkpoint to a file.
 */
public final class JsonLinesSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Thrown when the target cannot be written; its message names the output and the reason. */
    public static final class OutputFailure extends IOException {
        OutputFailure(String what, String target, IOException cause) {
            super("cannot write " + what + " to " + target + ": " + cause.getMessage(), cause);
        }
    }

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
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        try {
            OutputStream out =
                    file == null ? new CheckedStandardOutput(System.out) : Files.newOutputStream(Paths.get(file));
            return new LineWriter(new BufferedWriter(new OutputStreamWriter(
                    out,
                    StandardCharsets.UTF_8
                            .newEncoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE))));
        } catch (IOException e) {
            throw new OutputFailure(what, target(), e);
        }
    }

    private final class LineWriter implements SinkWriter<T> {
        private final Writer out;
        private final List<String[]> held = new ArrayList<>();

        LineWriter(Writer out) {
            this.out = out;
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
