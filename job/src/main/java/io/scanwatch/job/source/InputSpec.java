package io.scanwatch.job.source;

import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One {@code --input FORMAT=PATH} argument: a telemetry format and a file, or a glob such as {@code logs/conn.*.log}. */
public record InputSpec(TelemetryFormat format, String pattern) implements Serializable {

    /** Parses {@code FORMAT=PATH}; the message of the exception says what is wrong. */
    public static InputSpec parse(String argument) {
        int eq = argument.indexOf('=');
        if (eq <= 0 || eq == argument.length() - 1) {
            throw new IllegalArgumentException(
                    "--input takes FORMAT=PATH (e.g. zeek-conn=conn.log), got '" + argument + "'");
        }
        return new InputSpec(TelemetryFormat.byId(argument.substring(0, eq)), argument.substring(eq + 1));
    }

    /** The files the pattern names, sorted by name; fails when there are none, since a replay of nothing is a typo. */
    public List<Path> resolveFiles() {
        List<Path> files = hasGlob(pattern) ? glob() : List.of(Paths.get(pattern));
        List<Path> missing = files.stream().filter(f -> !Files.isRegularFile(f)).collect(Collectors.toList());
        if (files.isEmpty() || !missing.isEmpty()) {
            throw new IllegalArgumentException("--input " + format.id() + "=" + pattern + ": no such file"
                    + (missing.isEmpty() ? "" : " " + missing.get(0)));
        }
        return files;
    }

    private List<Path> glob() {
        Path absolute = Paths.get(pattern).toAbsolutePath().normalize();
        Path root = absolute.getRoot();
        Path base = root;
        for (Path part : root.relativize(absolute)) {
            if (hasGlob(part.toString())) {
                break;
            }
            base = base.resolve(part);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(matcher::matches)
                    .filter(Files::isRegularFile)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("--input " + pattern + ": cannot list " + base, e);
        }
    }

    private static boolean hasGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf('{') >= 0;
    }
}
