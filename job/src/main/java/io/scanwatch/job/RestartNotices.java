package io.scanwatch.job;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobExecutionStatusEvent;
import org.apache.flink.core.execution.JobStatusChangedListener;
import org.apache.flink.core.execution.JobStatusChangedListenerFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Tells each restart of a stream on the embedded cluster on standard error. Flink logs a failure that restarts the
 * job at INFO, which the standalone jar left out: a stream failing and restarting without end (brokers refusing its
 * transactions, a topic refusing its records) ran on without a word. The job's master, in the same process, calls
 * the listener; on a Flink cluster the web UI and the cluster's logs tell restarts.
 */
public final class RestartNotices implements JobStatusChangedListenerFactory {
    /** The client's standard error: an embedded process runs one job. */
    private static volatile PrintStream target;

    private static final AtomicInteger RESTARTS = new AtomicInteger();

    /** The logger of a failed task's line; log4j2.properties lets only those lines of it through. */
    private static final String FAILED_TASKS = "org.apache.flink.runtime.executiongraph.ExecutionGraph";

    /** Flink instantiates the factory by its class name. */
    public RestartNotices() {}

    static void configure(StreamExecutionEnvironment env, PrintStream err) {
        target = err;
        RESTARTS.set(0);
        Configuration listeners = new Configuration();
        listeners.set(DeploymentOptions.JOB_STATUS_CHANGED_LISTENERS, List.of(RestartNotices.class.getName()));
        env.configure(listeners);
    }

    /**
     * Lets the execution graph's line of each failed task, with its cause, through the jar's logging, which keeps
     * it for streams (its filter passes no other line of that logger): a replay says why it failed in one line.
     */
    static void logFailedTasks() {
        try {
            Configurator.setLevel(FAILED_TASKS, Level.INFO);
        } catch (LinkageError e) {
            // Another logging backend than the jar's: its own configuration decides.
        }
    }

    @Override
    public JobStatusChangedListener createListener(Context context) {
        return event -> {
            PrintStream err = target;
            if (err != null
                    && event instanceof JobExecutionStatusEvent status
                    && status.newStatus() == JobStatus.RESTARTING) {
                // The job's status carries no cause on a restart: the failed task's, with its trace, is logged
                // just before (the jar's logging keeps Flink's lines of tasks that failed).
                err.println("scanwatch: a task failed (its cause above); restarting from the last checkpoint (restart "
                        + RESTARTS.incrementAndGet() + " of this run, as restart.strategy allows)");
            }
        };
    }
}
