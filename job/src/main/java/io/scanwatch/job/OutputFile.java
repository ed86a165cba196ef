package io.scanwatch.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks of the files a run writes, made before it starts, so that a path that cannot be written, or one that
 * would destroy an input, fails at once with one line instead of after the replay.
 */
final class OutputFile {
    private OutputFile() {}

    /**
     * Refuses an output that is also an input (opening it would empty the input before it is read) or another
     * output (one would overwrite the other).
     *
     * @param outputs by the option or key that names them; absent ones are null
     */
    static void checkDistinct(Map<String, Path> outputs, List<Path> inputs) {
        List<Map.Entry<String, Path>> named = outputs.entrySet().stream()
                .filter(output -> output.getValue() != null)
                .toList();
        for (int i = 0; i < named.size(); i++) {
            for (int j = i + 1; j < named.size(); j++) {
                if (same(named.get(i).getValue(), named.get(j).getValue())
                        && !discarded(named.get(i).getValue())) {
                    throw new IllegalArgumentException(
                            named.get(i).getKey() + " and " + named.get(j).getKey() + " name the same file "
                                    + named.get(i).getValue() + ": give each its own");
                }
            }
            for (Path input : inputs) {
                Path output = named.get(i).getValue();
                if (same(output, input)) {
                    throw new IllegalArgumentException("the output " + output
                            + " is also an input: writing it would destroy the input before it is read");
                }
                if (Files.isDirectory(input)
                        && output.toAbsolutePath()
                                .normalize()
                                .startsWith(input.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("the output " + output + " is inside the input directory "
                            + input + ": it would be read back as input");
                }
            }
        }
    }

    /**
     * Refuses an output that is the file a standard stream of the run writes to: standard output where it takes the
     * alerts, standard error (the summary and warnings) always. Opened again by its name, that file is written from
     * its start, over what the stream wrote (a dead letter over the first alert, {@code --dead-letters /dev/stdout >
     * out.jsonl}). A terminal or a pipe keeps no place to write over: outputs may share one.
     *
     * @param outputs by the option or key that names them; absent ones are null
     */
    static void checkStandardStreams(Map<String, Path> outputs, boolean alertsToStandardOutput) {
        Map<String, Path> streams = new LinkedHashMap<>();
        if (alertsToStandardOutput) {
            streams.put("standard output, which takes the alerts", Path.of("/proc/self/fd/1"));
        }
        streams.put("standard error, which takes the run's summary", Path.of("/proc/self/fd/2"));
        streams.forEach((stream, descriptor) -> {
            if (!Files.isRegularFile(descriptor)) {
                return;
            }
            outputs.forEach((option, output) -> {
                if (output != null && same(output, descriptor)) {
                    throw new IllegalArgumentException(option + " " + output + " is the file of " + stream
                            + ": each would write over the other; give it a file of its own");
                }
            });
        });
    }

    /** Outputs sent to the null device overwrite nothing: any number may go there. */
    private static boolean discarded(Path output) {
        return output.toAbsolutePath().normalize().equals(Path.of("/dev/null"));
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
     * Creates the files the options name, or says why one cannot be written, before any is emptied: a mistake in one
     * never costs the others their content.
     *
     * @param outputs by the option or key that names them; absent ones are null
     * @param empty whether to empty them now: a replay in batch mode, which never restores a checkpoint, and whose
     *     sinks start only when the stages before them are done, would otherwise show the last run's lines until then;
     *     a stream's files wait for its sinks, which keep what they held at a checkpoint they are restored from
     */
    static void checkWritable(Map<String, Path> outputs, boolean empty) {
        outputs.forEach((option, file) -> {
            if (file == null) {
                return;
            }
            if (file.toString().equals("-")) {
                throw new IllegalArgumentException(option + " -: would write a file named '-', not standard output;"
                        + " alerts go to standard output when --alerts is left out");
            }
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(option + " " + file + ": is a directory, give a file name");
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException(
                        option + " " + file + ": its directory " + parent + " does not exist");
            }
        });
        outputs.forEach((option, file) -> {
            if (file == null) {
                return;
            }
            try (OutputStream out = empty
                    ? Files.newOutputStream(file)
                    : Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                out.flush();
            } catch (IOException e) {
                throw new IllegalArgumentException(option + " " + file + ": cannot be written (" + e + ")");
            }
        });
    }
}
