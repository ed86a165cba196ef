package io.scanwatch.job;

import io.scanwatch.job.testing.TestdataGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Where the project's test data and the shared public datasets are, as set by the build. */
public final class Testdata {
    private Testdata() {}

    public static Path file(String relative) {
        return Paths.get(System.getProperty("scanwatch.testdata", "../testdata"))
                .resolve(relative)
                .normalize();
    }

    /** The shared datasets folder, or null when this checkout has none beside it. */
    public static Path datasets() {
        Path path = Paths.get(System.getProperty("scanwatch.datasets", "../../shared/datasets"))
                .normalize();
        return Files.isDirectory(path) ? path : null;
    }

    /** Every test data file as one {@code --input} value, each file's format recognised: the quick start's. */
    public static String everyFileAuto() {
        return "auto=" + file("telemetry") + "/*/*";
    }

    /** The quick start's arguments, its alerts written to {@code alerts}. */
    public static List<String> quickStart(Path alerts) {
        return List.of(
                "--input",
                everyFileAuto(),
                "--config",
                file("scanwatch-demo.yaml").toString(),
                "--alerts",
                alerts.toString());
    }

    /** The same, without the summary: a run whose standard error holds only what goes wrong. */
    public static List<String> quietQuickStart(Path alerts) {
        List<String> args = new ArrayList<>(List.of("--quiet"));
        args.addAll(quickStart(alerts));
        return args;
    }

    /** Every test data file as {@code --input} arguments, each with its format named. */
    public static List<String> explicitInputs() {
        List<String> inputs = new ArrayList<>();
        TestdataGenerator.FILES.forEach((file, format) -> {
            inputs.add("--input");
            inputs.add(format + "=" + file("telemetry/" + file));
        });
        return inputs;
    }
}
