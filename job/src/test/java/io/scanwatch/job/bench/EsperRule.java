package io.scanwatch.job.bench;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.EventSender;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

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
            EPEventService events = runtime.getEventService();
            LineParser parser = TelemetryFormat.ZEEK_CONN.newParser(ParseOptions.utcNow());
            Set<String> scanners = new TreeSet<>();
            EventSender sender = null;
            long now = Long.MIN_VALUE;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    ParsedLine parsed = parser.parse(line);
                    if (parsed.kind() != ParsedLine.Kind.CONNECTION) {
                        continue;
                    }
                    ConnectionEvent connection = parsed.connection();
                    if (sender == null) {
                        // Deployed at the first record's minute, so that the reports fall on minute boundaries.
                        now = connection.timestamp - Math.floorMod(connection.timestamp, MINUTE);
                        events.advanceTime(now);
                        EPDeployment deployment = runtime.getDeploymentService().deploy(compiled);
                        runtime.getDeploymentService()
                                .getStatement(deployment.getDeploymentId(), "scan")
                                .addListener((reported, expired, statement, ignored) -> {
                                    for (EventBean row : reported) {
                                        scanners.add((String) row.get("src"));
                                    }
                                });
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
                        connection.outcome != Outcome.COMPLETED
                    });
                }
            }
            events.advanceTime(now + 5 * MINUTE);
            return scanners;
        } finally {
            runtime.destroy();
        }
    }
}
