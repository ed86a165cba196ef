package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.flink.runtime.client.JobInitializationException;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.flink.util.FlinkException;
import org.junit.jupiter.api.Test;

class SavepointMismatchTest {
    /** The chain a refused savepoint gives the client of a session cluster (Flink 2.2), messages as Flink words them. */
    private static Throwable refusedSavepoint() {
        IllegalStateException refused = new IllegalStateException(
                "Failed to rollback to checkpoint/savepoint file:/tmp/savepoints/savepoint-b2989c-3bb84770f648. Cannot"
                        + " map checkpoint/savepoint state for operator 3dee519ea18a413346636520fa491190 to the new"
                        + " program, because the operator is not available in the new program. If you want to allow"
                        + " to skip this, you can set the --allowNonRestoredState option on the CLI.");
        JobInitializationException start = new JobInitializationException(
                null, "Could not start the JobMaster.", new CompletionException(refused));
        return new FlinkException("Failed to execute job 'scanwatch'.", new RuntimeException(start));
    }

    @Test
    void aSavepointOfAnotherShapeIsToldWithWhatToDo() {
        assertThat(SavepointMismatch.explain(refusedSavepoint()))
                .hasValueSatisfying(told -> assertThat(told)
                        .contains("an operator this job does not have (Flink's id 3dee519ea18a413346636520fa491190)")
                        .contains("enabling, disabling or reshaping a windowed rule")
                        .contains("an output file of --alerts, --dead-letters")
                        .contains("--allowNonRestoredState")
                        .contains("FLINK_ALLOW_NON_RESTORED_STATE=true")
                        .contains("--set checkpointing.allow-non-restored-state=true for a stream of java -jar"));
    }

    /** The id a hostile trial got, restarting from its checkpoint without the control status topic it had. */
    @Test
    void anOutputLeftOutIsNamed() {
        IllegalStateException refused = new IllegalStateException("Cannot map checkpoint/savepoint state for operator"
                + " 1edd16a0427df1443258e8bbd6af0a89 to the new program, because the operator is not available in"
                + " the new program.");
        assertThat(SavepointMismatch.explain(refused))
                .hasValueSatisfying(told -> assertThat(told)
                        .contains("(Flink's id 1edd16a0427df1443258e8bbd6af0a89: the output of control.status-topic,"
                                + " uid 'kafka-control-status-sink')"));
        String committer = new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(
                        SavepointMismatch.COMMITTER + "kafka-alerts-sink"))
                .toHexString();
        assertThat(SavepointMismatch.explain(new IllegalStateException(
                        "Cannot map checkpoint/savepoint state for operator " + committer + " to the new program")))
                .hasValueSatisfying(told -> assertThat(told)
                        .contains("the output of kafka.alerts-topic, uid 'Sink Committer: kafka-alerts-sink'"));
    }

    @Test
    void otherFailuresAreToldAsTheyAre() {
        assertThat(SavepointMismatch.explain(new FlinkException(
                        "Failed to execute job 'scanwatch'.",
                        new IllegalStateException("Insufficient number of network buffers"))))
                .isEmpty();
        assertThat(ScanwatchJob.reason(new FlinkException(
                        "Failed to execute job 'scanwatch'.",
                        new IllegalStateException("Insufficient number of network buffers"))))
                .as("the deepest cause, which a failed submission otherwise keeps in the client's log")
                .contains("Insufficient number of network buffers");
    }
}
