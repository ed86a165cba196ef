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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.CompositeFilter;
import org.apache.logging.log4j.core.filter.RegexFilter;
import org.apache.logging.log4j.core.filter.ThresholdFilter;

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

    /** The logger of a failed task's line, as the jar's log4j2.properties names it. */
    private static final String FAILED_TASKS = "org.apache.flink.runtime.executiongraph.ExecutionGraph";

    /** Flink's words for a task that failed: "... (1/2) (id) switched from RUNNING to FAILED on host ...". */
    static final String FAILED_LINE = "(?s).* switched from [A-Z_]+ to FAILED .*";

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
     * Lets the execution graph's line of each failed task, with its cause, through the jar's logging for a stream:
     * its warnings as before, and of its INFO lines only those (the others tell every task's deployment). Only where
     * the jar's own configuration names the logger: another configuration decides for itself, and raising a logger
     * it does not name would let every INFO line of it through.
     */
    static void logFailedTasks() {
        try {
            logFailedTasks((LoggerContext) LogManager.getContext(false));
        } catch (LinkageError | ClassCastException e) {
            // Another logging backend than the jar's: its own configuration decides.
        }
    }

    static void logFailedTasks(LoggerContext context) {
        try {
            LoggerConfig logger = context.getConfiguration().getLoggers().get(FAILED_TASKS);
            if (logger == null) {
                return;
            }
            logger.addFilter(CompositeFilter.createFilters(new Filter[] {
                ThresholdFilter.createFilter(Level.WARN, Filter.Result.ACCEPT, Filter.Result.NEUTRAL),
                RegexFilter.createFilter(FAILED_LINE, null, false, Filter.Result.ACCEPT, Filter.Result.DENY)
            }));
            logger.setLevel(Level.INFO);
            context.updateLoggers();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("log4j refused a filter of its own kind", e);
        }
    }

    @Override
    public JobStatusChangedListener createListener(Context context) {
        return event -> {
            PrintStream err = target;
            if (err != null
                    && event instanceof JobExecutionStatusEvent status
                    && status.newStatus() == JobStatus.RESTARTING) {
                // The job's status carries no cause on a restart. A task's failure is logged just before (the
                // lines logFailedTasks lets through); a checkpoint's or a source coordinator's fails the whole job,
                // and Flink logs it at INFO only.
                err.println("scanwatch: the job failed and restarts from its last checkpoint (restart "
                        + RESTARTS.incrementAndGet() + " of this run, as restart.strategy allows); a task's failure"
                        + " is logged above");
            }
        };
    }
}
