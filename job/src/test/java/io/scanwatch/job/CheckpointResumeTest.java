package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream on the embedded cluster goes on from its newest complete checkpoint, and its own only. */
class CheckpointResumeTest {
    @TempDir
    Path dir;

    private Path checkpoint(String group, String job, String chk, long modified, boolean complete) throws Exception {
        Path path = Files.createDirectories(dir.resolve(group).resolve(job).resolve(chk));
        if (complete) {
            Files.setLastModifiedTime(Files.writeString(path.resolve("_metadata"), "x"), FileTime.fromMillis(modified));
        }
        return path;
    }

    @Test
    void theNewestCompleteCheckpointOfTheGroupIsRestored() throws Exception {
        checkpoint("edge", "a3384852a0d4d9d4305003a62733f806", "chk-4", 1_000, true);
        Path newest = checkpoint("edge", "65eb7af47f0a7f521084f42ac04b62c5", "chk-10", 2_000, true);
        checkpoint("edge", "65eb7af47f0a7f521084f42ac04b62c5", "chk-11", 3_000, false);
        checkpoint("branch", "d752e3140068ba5be1c4917c91f44a42", "chk-5", 9_000, true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CheckpointResume.apply(
                env, dir.toUri().toString(), false, "edge", new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(env.getConfiguration().get(StateRecoveryOptions.SAVEPOINT_PATH))
                .as("not the unfinished chk-11, nor another group's newer one")
                .isEqualTo(newest.toUri().toString());
        assertThat(env.getConfiguration().get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE))
                .isFalse();
        StreamExecutionEnvironment dropping = StreamExecutionEnvironment.getExecutionEnvironment();
        CheckpointResume.apply(dropping, dir.toUri().toString(), true, "edge", System.err);
        assertThat(dropping.getConfiguration().get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE))
                .as("checkpointing.allow-non-restored-state")
                .isTrue();
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .endsWith("/edge");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("going on from the checkpoint " + newest);
    }

    @Test
    void aFirstStartRestoresNothingAndInMemoryCheckpointsSayWhatAStopCosts() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CheckpointResume.apply(env, dir.toString(), true, "a/b", System.err);
        assertThat(env.getConfiguration().get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isNull();
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(dir + "/a_b");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CheckpointResume.apply(
                StreamExecutionEnvironment.getExecutionEnvironment(),
                "",
                false,
                "edge",
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stopping this job loses the scans in progress");
    }
}
