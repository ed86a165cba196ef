package io.scanwatch.job.source;

import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * One file to replay, in the format (and zone, or null) its {@code --input} named: what the globs resolve to,
 * checked once.
 */
public record InputFile(TelemetryFormat format, String zone, Path path) {
    /**
     * Resolves and checks every input ({@link InputSpec#resolveFiles}), in order. A file named twice (an explicit
     * path and an overlapping glob, or a link to it: Zeek's {@code logs/current} is one) would be read twice and
     * every record counted twice: that is refused.
     */
    public static List<InputFile> resolve(List<InputSpec> inputs) {
        List<InputFile> files = new ArrayList<>();
        java.util.Map<Object, Named> seen = new java.util.HashMap<>();
        for (InputSpec input : inputs) {
            for (Path path : input.resolveFiles()) {
                Named earlier = seen.putIfAbsent(identity(path), new Named(input, path));
                if (earlier != null) {
                    throw new IllegalArgumentException(input.argument() + ": " + path
                            + (earlier.path().equals(path) ? "" : " (the same file as " + earlier.path() + ")")
                            + " is already read by " + earlier.input().argument()
                            + " (each file once, or its records count twice)");
                }
                files.add(new InputFile(input.format(), input.zone(), path));
            }
        }
        return files;
    }

    /** A file as an input named it, for a message about the same file named again. */
    private record Named(InputSpec input, Path path) {}

    /** A warning for each glob that also matched directories, whose files are not read. */
    public static List<String> directoriesLeftOut(List<InputSpec> inputs) {
        List<String> warnings = new ArrayList<>();
        for (InputSpec input : inputs) {
            List<Path> directories = input.directoriesMatched();
            if (!directories.isEmpty()) {
                warnings.add(input.argument() + " also matches "
                        + directories.size() + " director" + (directories.size() == 1 ? "y" : "ies") + " "
                        + InputSpec.named(directories) + ", whose files are not read: a glob such as "
                        + directories.get(0).resolve("*") + " reads them");
            }
        }
        return warnings;
    }

    /** The file behind a path: its device and inode where the file system has them, else its path without links. */
    private static Object identity(Path path) {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path.toRealPath();
        } catch (IOException e) {
            // Unreadable: the reader says so; here it is only its name.
            return path.toAbsolutePath().normalize();
        }
    }
}
