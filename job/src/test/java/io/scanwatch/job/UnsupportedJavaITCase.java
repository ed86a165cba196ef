package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.RefusedJava;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start on a Java that Apache DataSketches refuses (Java 25 here): the job must stop before it starts,
 * saying which Java to use, not start its cluster and fail in its first detector. Skipped where no such Java is
 * installed ({@link RefusedJava}).
 */
class UnsupportedJavaITCase {
    @TempDir
    Path dir;

    @Test
    void aRefusedJavaStopsTheJobAtStartWithWhichJavaToUse() throws Exception {
        Optional<Path> refused = RefusedJava.home();
        assumeTrue(refused.isPresent(), "no Java 18-20 or 22+ under /usr/lib/jvm");
        Path alerts = dir.resolve("alerts.jsonl");
        ChildJvm.Result result = ChildJvm.runOn(
                refused.get(),
                dir,
                List.of(),
                ScanwatchJob.class,
                Testdata.quickStart(alerts),
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
}
