package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.scanwatch.job.testing.FlinkCluster;
import io.scanwatch.job.testing.RefusedJava;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flink cluster whose JobManager and TaskManager run a Java that Apache DataSketches refuses (Flink 2.2 itself
 * starts on it), and a client on the build's Java, whose own check passes: the replay must fail once, saying which
 * Java the TaskManagers need, where it used to restart without end on an obscure class-initialisation error. Skipped
 * where no such Java is installed ({@link RefusedJava}).
 */
@EnabledIf("refusedJavaInstalled")
class UnsupportedJavaClusterIT {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(
            1,
            8093,
            "9380-9389",
            RefusedJava.home()
                    .map(home -> Map.of("PATH", home.resolve("bin") + ":" + System.getenv("PATH")))
                    .orElse(Map.of()));

    @TempDir
    Path dir;

    static boolean refusedJavaInstalled() {
        return RefusedJava.home().isPresent();
    }

    @Test
    // Before the check the client waited on a job that restarted without end: bounded, so that such a run fails.
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aReplayFailsOnceSayingWhichJavaTheTaskManagersNeed() throws Exception {
        FlinkCluster.Result run = FLINK.submit(Testdata.quickStart(dir.resolve("alerts.jsonl")), Map.of());

        assertThat(run.status()).as(run.output()).isNotZero();
        assertThat(run.output())
                .contains("a TaskManager cannot run scanwatch")
                .contains("Unsupported JDK Major Version")
                .contains("Java 17 or 21");
        String job = FlinkCluster.jobId(run);
        assertThat(FLINK.rest("/jobs/" + job).at("/state").asText()).isEqualTo("FAILED");
        // One failure, ours, and it ended the job: not restarted.
        assertThat(FLINK.failures(job)).singleElement(STRING).contains("The failure is not recoverable");
    }
}
