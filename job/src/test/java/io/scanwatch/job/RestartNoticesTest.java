package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** A job on a cluster of its own in this process, as the standalone jar's: its master tells the listener. */
class RestartNoticesTest {
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    private static final String EXECUTION_GRAPH = "org.apache.flink.runtime.executiongraph.ExecutionGraph";

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
    void aRestartIsTold() throws Exception {
        FAILED_ONCE.set(false);
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
                .isEqualTo("scanwatch: the job failed and restarts from its last checkpoint (restart 1 of this run, as"
                        + " restart.strategy allows); a task's failure is logged above" + System.lineSeparator());
    }

    /** The jar's own logging, as a stream sets it: a failed task's line and every warning, no other INFO line. */
    @Test
    void aStreamsLoggingLetsFailedTasksAndWarningsThrough() throws Exception {
        LoggerContext context = new LoggerContext("restart-notices");
        try (InputStream jarLogging = ScanwatchJob.class.getResourceAsStream("/log4j2.properties")) {
            context.start(new PropertiesConfigurationFactory()
                    .getConfiguration(context, new ConfigurationSource(jarLogging)));
        }
        try {
            LoggerConfig logger = context.getConfiguration().getLoggers().get(EXECUTION_GRAPH);
            assertThat(logger.getLevel()).as("a replay's").isEqualTo(Level.WARN);

            RestartNotices.logFailedTasks(context);

            assertThat(logger.getLevel()).isEqualTo(Level.INFO);
            assertThat(logger.isFiltered(event(
                            Level.INFO,
                            "Source: kafka: zeek-conn (1/2) (4a5b) switched from"
                                    + " RUNNING to FAILED on localhost (dataPort=-1).")))
                    .isFalse();
            assertThat(logger.isFiltered(event(Level.WARN, "Failed to deserialize final accumulator results.")))
                    .isFalse();
            assertThat(logger.isFiltered(event(
                            Level.INFO,
                            "Source: kafka: zeek-conn (1/2) (4a5b) switched from" + " DEPLOYING to INITIALIZING.")))
                    .isTrue();
        } finally {
            context.stop();
        }
    }

    private static LogEvent event(Level level, String message) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName(EXECUTION_GRAPH)
                .setLevel(level)
                .setMessage(new SimpleMessage(message))
                .build();
    }
}
