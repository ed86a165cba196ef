package io.scanwatch.job.source;

import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One file to replay, in the format its {@code --input} named: what the globs resolve to, checked once. */
public record InputFile(TelemetryFormat format, Path path) {
    /**
     * Resolves and checks every input ({@link InputSpec#resolveFiles}), in order. A file named twice (an explicit
     * path and an overlapping glob) would be read twice and every record counted twice: that is refused.
     */
    public static List<InputFile> resolve(List<InputSpec> inputs) {
        List<InputFile> files = new ArrayList<>();
        java.util.Map<Path, InputSpec> seen = new java.util.HashMap<>();
        for (InputSpec input : inputs) {
            for (Path path : input.resolveFiles()) {
                Path real = path.toAbsolutePath().normalize();
                InputSpec earlier = seen.putIfAbsent(real, input);
                if (earlier != null) {
                    throw new IllegalArgumentException(
                            "--input " + input.format().id() + "=" + input.pattern()
                                    + ": " + path + " is already read by --input "
                                    + earlier.format().id() + "="
                                    + earlier.pattern() + " (each file once, or its records count twice)");
                }
                files.add(new InputFile(input.format(), path));
            }
        }
        return files;
    }
}
