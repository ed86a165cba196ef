package io.scanwatch.job.source;

import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One file to replay, in the format its {@code --input} named: what the globs resolve to, checked once. */
public record InputFile(TelemetryFormat format, Path path) {
    /** Resolves and checks every input ({@link InputSpec#resolveFiles}), in order. */
    public static List<InputFile> resolve(List<InputSpec> inputs) {
        List<InputFile> files = new ArrayList<>();
        for (InputSpec input : inputs) {
            for (Path path : input.resolveFiles()) {
                files.add(new InputFile(input.format(), path));
            }
        }
        return files;
    }
}
