package io.scanwatch.job.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The standalone jar that {@code package} builds, for tests that run after it, and what its JVMs print. */
public final class StandaloneJar {
    private static final String BUILD =
            "no standalone jar in job/target: build it first (./mvnw -q -B install -DskipTests)";

    private StandaloneJar() {}

    /**
     * The jar in {@code job/target} of the checkout at {@code root}, as the launcher finds it (the last name in order):
     * what was built, not what was compiled since.
     */
    public static Path built(Path root) throws IOException {
        try (Stream<Path> built = Files.list(root.resolve("job/target"))) {
            return built.filter(path -> path.getFileName().toString().matches("scanwatch-.*-standalone\\.jar"))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException(BUILD));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(BUILD, e);
        }
    }

    /** {@code java} of this JVM's Java, with {@code jvmOptions}, {@code -jar jar} and {@code args}. */
    public static List<String> javaJar(Path jar, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }

    /**
     * A flag's values in the {@code -XX:+PrintFlagsFinal} tables ("intx Name = value {product} {origin}") that
     * {@code out} holds, one for each JVM that printed its table there.
     */
    public static List<String> flagValues(String out, String flag) {
        return out.lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(words -> words.length > 3 && words[1].equals(flag) && words[2].equals("="))
                .map(words -> words[3])
                .toList();
    }
}
