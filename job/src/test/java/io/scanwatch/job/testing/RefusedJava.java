package io.scanwatch.job.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Java installed beside the build's that runs the job's classes (built for 17) and that Apache DataSketches' memory
 * library refuses (it takes 8, 11, 17 and 21): Java 25 on the machines this project is built on. Found under
 * /usr/lib/jvm, as Debian and Temurin install them; tests that need one are skipped where there is none.
 */
public final class RefusedJava {
    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private RefusedJava() {}

    /** Its home, if one is installed. */
    public static Optional<Path> home() {
        Path installed = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(installed)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home ->
                            majorVersion(home).filter(RefusedJava::refused).isPresent())
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean refused(int version) {
        return version > 17 && version != 21;
    }

    private static Optional<Integer> majorVersion(Path home) {
        try {
            Matcher version =
                    RELEASE_VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
            return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
