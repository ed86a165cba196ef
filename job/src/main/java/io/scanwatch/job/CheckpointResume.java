package io.scanwatch.job;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A stream on the embedded cluster goes on where the last run stopped. Its consumer commits offsets with each
 * checkpoint, so a run started again without the checkpoint reads on from there with empty windows: the scans that
 * were in progress at the stop were lost, silently. With {@code checkpointing.dir} on local disk, checkpoints are kept
 * when the run stops, and the next run restores the newest one; without it, the run says what a stop costs. Each
 * start leaves the checkpoint it went on from (Flink deletes only its own run's older ones).
 */
final class CheckpointResume {
    private CheckpointResume() {}

    /**
     * @param group the Kafka consumer group: the job's checkpoints go under a directory of its name, so that jobs
     *     sharing a {@code checkpointing.dir} (each with a group of its own) never restore one another's
     */
    static void apply(
            StreamExecutionEnvironment env,
            String checkpointDir,
            boolean allowNonRestoredState,
            String group,
            PrintStream err) {
        if (checkpointDir.isBlank()) {
            err.println("scanwatch: checkpoints are kept in memory: stopping this job loses the scans in progress,"
                    + " as their records' offsets are committed; set checkpointing.dir (e.g. --set"
                    + " checkpointing.dir=file:///var/lib/scanwatch/checkpoints) and the next start goes on from the"
                    + " last checkpoint");
            return;
        }
        String own = checkpointDir.replaceAll("/+$", "") + "/" + group.replaceAll("[^A-Za-z0-9._-]", "_");
        Configuration resume = new Configuration();
        resume.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, own);
        resume.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        Path local = localPath(own);
        if (local != null) {
            newest(local).ifPresent(checkpoint -> {
                err.println("scanwatch: going on from the checkpoint " + checkpoint
                        + " (delete it, or give another checkpointing.dir, to start afresh)");
                resume.set(
                        StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
                resume.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, allowNonRestoredState);
                if (allowNonRestoredState) {
                    // Flink names what it drops at INFO only, which the jar leaves out.
                    err.println("scanwatch: checkpointing.allow-non-restored-state is set: the state of any operator"
                            + " this start no longer has (an output left out, a rule reshaped: its scans in progress)"
                            + " is dropped");
                }
            });
        }
        env.configure(resume);
    }

    /** The directory of a {@code file:} URI or a plain path; null for a remote file system (s3://, hdfs://). */
    private static Path localPath(String dir) {
        if (dir.startsWith("file:")) {
            return Path.of(URI.create(dir));
        }
        return dir.contains("://") ? null : Path.of(dir);
    }

    /** The newest complete checkpoint (one with its {@code _metadata}) of any run under {@code dir}. */
    static Optional<Path> newest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        // dir/<job id>/chk-<n>/_metadata, as Flink lays them out.
        try (Stream<Path> found = Files.find(
                dir,
                3,
                (path, attributes) -> path.getFileName().toString().equals("_metadata")
                        && path.getParent().getFileName().toString().startsWith("chk-"))) {
            return found.max(Comparator.comparing(CheckpointResume::modified)).map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpointing.dir " + dir, e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
