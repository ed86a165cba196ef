package io.scanwatch.job.bench;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.EventSender;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployException;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.ProbeLike;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The other peer #11 names: the network-scan rule in Esper EPL, one thread, its clock driven by the records'
 * time. A sliding five-minute window per source, reported every minute, is the SQL rule's hopping window; the
 * file is parsed by the job's parser, so that only the rule engine differs.
 */
final class EsperRule {
    private static final String EPL = "@public @buseventtype create objectarray schema Connection("
            + "src string, dst string, port int, probe boolean);\n"
            + "@name('scan') select src from Connection(probe)#time(5 min) group by src"
            + " having count(distinct dst) > 20 or count(distinct port) >= 15 or count(*) > 100"
            + " output snapshot every 1 minute;\n";
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private EsperRule() {}

    /** The sources the rule flags at any minute. */
    static Set<String> scanners(Path file) throws Exception {
        Configuration configuration = new Configuration();
        configuration.getRuntime().getThreading().setInternalTimerEnabled(false);
        EPCompiled compiled = EPCompilerProvider.getCompiler().compile(EPL, new CompilerArguments(configuration));
        EPRuntime runtime = EPRuntimeProvider.getRuntime("scanwatch-bench-" + System.nanoTime(), configuration);
        try {
            Feed feed = new Feed(runtime, compiled);
            ParsedConnections.forEach(file, feed);
            runtime.getEventService().advanceTime(feed.now + 5 * MINUTE);
            return feed.scanners;
        } finally {
            runtime.destroy();
        }
    }

    /** Sends connections in, the clock following their times; deploys the rule at the first one's minute. */
    private static final class Feed implements Consumer<ConnectionEvent> {
        private final EPRuntime runtime;
        private final EPCompiled compiled;
        private final Set<String> scanners = new TreeSet<>();
        private EventSender sender;
        private long now = Long.MIN_VALUE;

        Feed(EPRuntime runtime, EPCompiled compiled) {
            this.runtime = runtime;
            this.compiled = compiled;
        }

        @Override
        public void accept(ConnectionEvent connection) {
            EPEventService events = runtime.getEventService();
            if (sender == null) {
                // Deployed at the first record's minute, so that the reports fall on minute boundaries.
                now = connection.timestamp - Math.floorMod(connection.timestamp, MINUTE);
                events.advanceTime(now);
                try {
                    EPDeployment deployment = runtime.getDeploymentService().deploy(compiled);
                    runtime.getDeploymentService()
                            .getStatement(deployment.getDeploymentId(), "scan")
                            .addListener((reported, expired, statement, ignored) -> {
                                for (EventBean row : reported) {
                                    scanners.add((String) row.get("src"));
                                }
                            });
                } catch (EPDeployException e) {
                    throw new IllegalStateException(e);
                }
                sender = events.getEventSender("Connection");
            }
            if (connection.timestamp > now) {
                now = connection.timestamp;
                events.advanceTime(now);
            }
            sender.sendEvent(new Object[] {
                connection.sourceIp,
                connection.destinationIp,
                connection.destinationPort,
                ProbeLike.attempt(connection.outcome, connection.transport)
            });
        }
    }
}
