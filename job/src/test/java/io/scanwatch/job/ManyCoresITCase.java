package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quick start on machines with many cores, simulated in a child JVM: the embedded cluster must size itself
 * rather than fail for want of network buffers. Asserts the alerts, not the time taken.
 */
class ManyCoresITCase {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} cores {1}")
    @CsvSource({"16, ''", "32, ''", "32, --streaming"})
    void theQuickStartRunsOnManyCores(int cores, String mode) throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        List<String> args = new ArrayList<>(Testdata.quickStart(alerts));
        if (!mode.isEmpty()) {
            args.add(mode);
        }
        ChildJvm.Result result = ChildJvm.run(
                dir, List.of("-XX:ActiveProcessorCount=" + cores, "-Xmx1g"), ScanwatchJob.class, args, 300);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(AlertsFile.summaries(AlertsFile.read(alerts)))
                .containsExactlyElementsOf(Files.readAllLines(Testdata.file("expected/alerts.tsv")));
    }

    /**
     * A batch replay sorts every keyed input of every subtask: the embedded cluster's default managed memory, shared
     * by 192 subtasks or more, failed the job ("Too little memory provided to sorter").
     */
    @Test
    void aBatchReplayAtAHighParallelismHasMemoryToSort() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        ChildJvm.Result result = ChildJvm.run(
                dir,
                List.of("-Xmx1g"),
                ScanwatchJob.class,
                List.of(
                        "--input",
                        "zeek-conn=" + Testdata.file("telemetry/zeek/edge-conn.json.log"),
                        "--parallelism",
                        "200",
                        "--quiet",
                        "--alerts",
                        alerts.toString()),
                300);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(alerts).isNotEmptyFile();
    }

    @Test
    void aParallelismTheJvmCannotHoldIsRefusedAtStartWithWhatToChange() throws Exception {
        ChildJvm.Result result = ChildJvm.run(
                dir,
                List.of("-Xmx256m"),
                ScanwatchJob.class,
                List.of("--input", Testdata.everyFileAuto(), "--parallelism", "32", "--streaming", "--quiet"),
                120);
        assertThat(result.status()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("parallelism 32 needs about").contains("lower --parallelism");
    }

    /** Below Flink's floor of network memory, any parallelism needs as much: only more direct memory helps. */
    @Test
    void directMemoryBelowFlinksFloorAsksForMoreNotALowerParallelism() throws Exception {
        ChildJvm.Result result = ChildJvm.run(
                dir,
                List.of("-XX:MaxDirectMemorySize=70m"),
                ScanwatchJob.class,
                List.of("--input", Testdata.everyFileAuto(), "--parallelism", "1", "--quiet"),
                120);
        assertThat(result.status()).as(result.err()).isEqualTo(2);
        assertThat(result.err())
                .contains("parallelism 1 needs about 64 MB")
                .contains("raise -XX:MaxDirectMemorySize")
                .doesNotContain("lower --parallelism");
    }
}
