package io.scanwatch.job.source;

import io.scanwatch.job.config.ZoneNames;
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
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code --input FORMAT[@ZONE]=PATH} argument: a telemetry format, optionally the zone of its times that carry
 * none (else {@code parsing.timezone}), and a file, or a glob such as {@code logs/conn.*.log}.
 *
 * @param zone the input's own zone, or null
 */
public record InputSpec(TelemetryFormat format, String zone, String pattern) implements Serializable {

    /** Parses {@code FORMAT[@ZONE]=PATH}; the message of the exception says what is wrong. */
    public static InputSpec parse(String argument) {
        int eq = argument.indexOf('=');
        if (eq <= 0 || eq == argument.length() - 1) {
            throw new IllegalArgumentException("--input takes FORMAT=PATH or FORMAT@ZONE=PATH (e.g. zeek-conn=conn.log,"
                    + " sshd@Europe/Prague=auth.log), got '" + argument + "'");
        }
        String head = argument.substring(0, eq);
        int at = head.indexOf('@');
        TelemetryFormat format = TelemetryFormat.byId(at < 0 ? head : head.substring(0, at));
        String zone = at < 0 ? null : head.substring(at + 1);
        if (zone != null) {
            String problem = ZoneNames.problem(zone, format);
            if (problem != null) {
                throw new IllegalArgumentException("--input " + argument + ": " + problem);
            }
        }
        return new InputSpec(format, zone, argument.substring(eq + 1));
    }

    /** The argument as given, for messages. */
    public String argument() {
        return "--input " + format.id() + (zone == null ? "" : "@" + zone) + "=" + pattern;
    }

    /**
     * The files the pattern names, sorted by name. Fails, naming the path, when there are none (a replay of nothing
     * is a typo) or when one is a directory or cannot be read: better at start than as a failed task later.
     */
    public List<Path> resolveFiles() {
        String argument = argument();
        // A file whose name holds a glob's characters (a[1].log) is named as it is.
        boolean literal = !hasGlob(pattern) || Files.exists(Paths.get(pattern));
        List<Path> files = literal
                ? List.of(Paths.get(pattern))
                : glob(argument).stream()
                        .filter(path -> !Files.isDirectory(path))
                        .toList();
        if (files.isEmpty()) {
            List<Path> directories = literal ? List.of() : directoriesMatched();
            throw new IllegalArgumentException(argument + ": no file matches"
                    + (directories.isEmpty()
                            ? ""
                            : ", only directories " + named(directories) + ": a glob such as "
                                    + directories.get(0).resolve("*") + " reads their files"));
        }
        for (Path file : files) {
            // A name found by the walk that the file-name encoding cannot hold as text (non-ASCII under LANG=C) is
            // opened by its text later, and fails there: InvalidPathException now, which names the locale to use.
            Paths.get(file.toString());
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(argument + ": " + file + " is a directory (a glob such as "
                        + file.resolve("*") + " reads the files in it)");
            }
            if (!Files.exists(file)) {
                throw new IllegalArgumentException(argument + ": "
                        + (Files.isSymbolicLink(file)
                                ? file + " is a symbolic link that leads to no file (its target is gone, or links loop)"
                                : "no such file " + file + zoneAfterPath()));
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(argument + ": " + file + " is not a regular file");
            }
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(argument + ": " + file + " cannot be read (permissions?)");
            }
        }
        return files;
    }

    /** A hint where the path ends in {@code @ZONE}: the zone was meant, in front of the path. */
    private String zoneAfterPath() {
        int at = pattern.lastIndexOf('@');
        if (at < 0 || zone != null || !format.readsLocalTimes() || !ZoneNames.reads(pattern.substring(at + 1))) {
            return "";
        }
        return " (an input's zone goes before its path: --input " + format.id() + pattern.substring(at) + "="
                + pattern.substring(0, at) + ")";
    }

    /**
     * The directories a glob matches besides its files: their files are not read, which a glob such as {@code logs/*}
     * over dated subdirectories makes easy to miss. Empty for a literal path (a directory there is refused).
     */
    public List<Path> directoriesMatched() {
        if (!hasGlob(pattern) || Files.exists(Paths.get(pattern))) {
            return List.of();
        }
        return glob(argument()).stream().filter(Files::isDirectory).toList();
    }

    /** Directories for a message: the first, and whether there are more. */
    static String named(List<Path> directories) {
        return "(" + directories.get(0) + (directories.size() > 1 ? ", ...)" : ")");
    }

    /** Every path the glob matches, directories included, sorted by name. */
    private List<Path> glob(String argument) {
        Path absolute = Paths.get(pattern).toAbsolutePath().normalize();
        Path root = absolute.getRoot();
        Path base = root;
        for (Path part : root.relativize(absolute)) {
            if (hasGlob(part.toString())) {
                break;
            }
            base = base.resolve(part);
        }
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException(argument + ": no such directory " + base);
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(argument + ": not a valid glob (" + e.getDescription() + ")");
        }
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(matcher::matches).sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(argument + ": cannot list " + base + " (" + e.getMessage() + ")");
        }
    }

    private static boolean hasGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf('{') >= 0;
    }
}
