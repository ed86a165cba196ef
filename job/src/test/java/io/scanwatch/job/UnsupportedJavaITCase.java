package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.job.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start on a Java that Apache DataSketches refuses (Java 25 here): the job must stop before it starts,
 * saying which Java to use, not start its cluster and fail in its first detector. Needs such a Java installed beside
 * the one running the build (under /usr/lib/jvm, as Debian and Temurin install them; the machines this project is
 * built on have a Java 25 there); skipped where there is none.
 */
class UnsupportedJavaITCase {
    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void aRefusedJavaStopsTheJobAtStartWithWhichJavaToUse() throws Exception {
        Optional<Path> refused = refusedJava();
        assumeTrue(refused.isPresent(), "no Java 18-20 or 22+ under /usr/lib/jvm");
        Path alerts = dir.resolve("alerts.jsonl");
        ChildJvm.Result result = ChildJvm.runOn(
                refused.get(),
                dir,
                List.of(),
                ScanwatchJob.class,
                List.of(
                        "--input",
                        Testdata.everyFileAuto(),
                        "--config",
                        Testdata.file("scanwatch-demo.yaml").toString(),
                        "--alerts",
                        alerts.toString()),
                dir.resolve("child.out").toFile(),
                120);
        assertThat(result.status()).as(result.err()).isEqualTo(2);
        assertThat(result.err())
                .contains("Unsupported JDK Major Version")
                .contains("run scanwatch with Java 17 or 21")
                .doesNotContain("the job failed");
        assertThat(alerts).doesNotExist();
        assertThat(result.out()).isEmpty();
    }

    private static Optional<Path> refusedJava() throws IOException {
        Path installed = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(installed)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> majorVersion(home)
                            .filter(UnsupportedJavaITCase::refused)
                            .isPresent())
                    .sorted()
                    .findFirst();
        }
    }

    /** Runs the job's classes (built for 17), and the memory library refuses it (it takes 8, 11, 17 and 21). */
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
