package io.scanwatch.job;

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
import java.util.Arrays;
import java.util.List;

/**
 * A file or standard output that a replay writes JSON lines to. Opened before the job starts, so that a path that
 * cannot be written fails at once; its encoder replaces what UTF-8 cannot hold instead of throwing mid-replay.
 */
final class OutputFile {
    private OutputFile() {}

    /**
     * Refuses an output that is also an input (opening it would empty the input before it is read) or the other
     * output (one would overwrite the other).
     */
    static void checkDistinct(Path alerts, Path deadLetters, List<Path> inputs) {
        if (alerts != null && deadLetters != null && same(alerts, deadLetters)) {
            throw new IllegalArgumentException(
                    "--alerts and --dead-letters name the same file " + alerts + ": give each its own");
        }
        for (Path input : inputs) {
            for (Path output : Arrays.asList(alerts, deadLetters)) {
                if (output != null && same(output, input)) {
                    throw new IllegalArgumentException("the output " + output
                            + " is also an input: writing it would destroy the telemetry before it is read");
                }
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Standard output as the alerts' target. A {@link PrintStream} swallows write errors; this writer reports
     * them, so that a closed pipe or a full disk fails the run instead of passing for success.
     */
    static Writer standardOutput(PrintStream out) {
        return writer(new OutputStream() {
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
        });
    }

    static Writer open(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + ": is a directory, give a file name");
        }
        try {
            return writer(Files.newOutputStream(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot be written (" + e + ")");
        }
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(
                out,
                StandardCharsets.UTF_8
                        .newEncoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }
}
