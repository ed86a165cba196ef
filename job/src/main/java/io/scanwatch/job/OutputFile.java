package io.scanwatch.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Checks of the files a run writes, made before it starts, so that a path that cannot be written, or one that
 * would destroy an input, fails at once with one line instead of after the replay.
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

    /** Creates (or empties) the file the option names, or says why it cannot be written; null is no file. */
    static void checkWritable(Path file, String option) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + ": is a directory, give a file name");
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.flush();
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot be written (" + e + ")");
        }
    }
}
