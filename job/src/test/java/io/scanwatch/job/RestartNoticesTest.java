package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** A job on a cluster of its own in this process, as the standalone jar's: its master tells the listener. */
class RestartNoticesTest {
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    /** Fails the first record of the first attempt only. */
    private static final class FailsOnce implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) {
            if (FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("Compacted topic cannot accept message without key (injected)");
            }
            return value;
        }
    }

    @Test
    void aRestartIsToldWithItsCause() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RestartNotices.configure(env, new PrintStream(err, true, StandardCharsets.UTF_8));
        env.fromSequence(1, 3).map(new FailsOnce()).sinkTo(new DiscardingSink<>());

        env.execute("fails once");

        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("scanwatch: a task failed (its cause above); restarting from the last checkpoint (restart 1"
                        + " of this run, as restart.strategy allows)" + System.lineSeparator());
    }
}
