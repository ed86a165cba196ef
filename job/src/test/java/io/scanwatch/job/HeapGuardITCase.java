package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.scanwatch.job.testing.TestCluster;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task's OutOfMemoryError may come before the heap guard has confirmed a full heap: with the replay's settings it
 * fails the job, and the client, handed the job's failure as Flink gives it, tells it as the guard would.
 */
class HeapGuardITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @Test
    void aTaskOutOfMemoryReachesTheClientAsOne() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                ScanwatchJob.flinkConfiguration(Detectors.configLoader().load(null, Map.of())));
        env.fromData(1, 2, 3).map(new Exhausting()).returns(Types.INT).sinkTo(new DiscardingSink<>());

        Throwable failure = catchThrowable(env::execute);

        assertThat(failure).isNotNull();
        assertThat(HeapGuard.explain(failure))
                .hasValueSatisfying(told -> assertThat(told)
                        .startsWith("scanwatch: out of memory: a task ran out (Java heap space)")
                        .contains("-Xmx")
                        .doesNotContain("taskmanager.memory"));
        assertThat(HeapGuard.explain(new IllegalStateException("Insufficient number of network buffers")))
                .isEmpty();
    }

    /** Stands for an allocation the heap cannot hold: the error as the JVM words it. */
    private static final class Exhausting implements MapFunction<Integer, Integer> {
        @Override
        public Integer map(Integer value) {
            throw new OutOfMemoryError("Java heap space");
        }
    }
}
