package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * trw_scan on the bundled test data: every horizontal scanner the windowed rules find, where its records show
 * outcomes, is also named by the random walk, within five failed first contacts and sooner in event time; the
 * negative controls (a busy client, web clients, a C2 reconnect loop) raise nothing. The windowed alerts for a
 * sweeper join the walk's incident.
 */
class RandomWalkITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    /** Horizontal scanners of internal hosts whose sensors report outcomes (Sysmon's do not). */
    private static final Set<String> SWEEPERS =
            Set.of("10.20.4.9", "198.51.100.200", "198.51.100.99", "2001:db8:66::7", "203.0.113.200");
    /** An internal host sweeping the Internet for MongoDB: walked only when every destination is. */
    private static final String OUTBOUND_SWEEPER = "10.20.7.15";

    @TempDir
    Path dir;

    @Test
    void theWalkNamesEverySweeperWithinFiveFailuresAndBeforeTheWindowedRules() throws Exception {
        List<JsonNode> alerts = alerts("trw-scan.enabled=true");
        Map<String, JsonNode> walks = walks(alerts);
        assertThat(walks.keySet()).as("no benign source is named").containsExactlyInAnyOrderElementsOf(SWEEPERS);

        Map<String, String> latency = new TreeMap<>();
        for (Map.Entry<String, JsonNode> walk : walks.entrySet()) {
            JsonNode trw = walk.getValue();
            assertThat(trw.at("/scanwatch/walk/failures").asLong()).isBetween(4L, 5L);
            Instant firstProbe = Instant.parse(trw.at("/event/start").asText());
            Instant named = Instant.parse(trw.at("/@timestamp").asText());
            List<JsonNode> windowedAlerts = alerts.stream()
                    .filter(a -> a.at("/source/ip").asText().equals(walk.getKey()))
                    .filter(a -> a.at("/scanwatch/window/kind").asText().matches("sliding|tumbling"))
                    .toList();
            assertThat(windowedAlerts)
                    .as("the windowed alerts of %s join the walk's incident", walk.getKey())
                    .isNotEmpty()
                    .allSatisfy(a -> assertThat(a.at("/scanwatch/incident_id").asText())
                            .isEqualTo(trw.at("/scanwatch/episode_id").asText()));
            Instant windowed = windowedAlerts.stream()
                    .map(a -> Instant.parse(a.at("/@timestamp").asText()))
                    .min(Instant::compareTo)
                    .orElseThrow();
            assertThat(named).as(walk.getKey()).isBefore(windowed);
            latency.put(
                    walk.getKey(),
                    trw.at("/scanwatch/walk/first_contacts").asLong() + " probes, "
                            + Duration.between(firstProbe, named).toMillis() / 1000.0 + " s; windowed "
                            + Duration.between(firstProbe, windowed).toSeconds() + " s");
        }
        // Event-time latency from the first probe: printed for the README's table.
        latency.forEach((source, text) -> System.out.println("trw latency " + source + ": " + text));
    }

    /**
     * Walking the clients' Internet traffic too names the outbound sweeper, and still no benign source (the busy
     * client, the web clients); by default routing leaves that traffic unwatched, before the network.
     */
    @Test
    void walkingEveryDestinationAlsoNamesTheOutboundSweeper() throws Exception {
        JobRun internal = new JobRun();
        alerts(internal, "trw-scan.enabled=true");
        JobRun any = new JobRun();
        Map<String, JsonNode> walks = walks(alerts(any, "trw-scan.enabled=true", "trw-scan.destinations=any"));
        assertThat(walks.keySet()).containsExactlyInAnyOrderElementsOf(union(SWEEPERS, OUTBOUND_SWEEPER));
        assertThat(walks.get(OUTBOUND_SWEEPER).at("/scanwatch/walk/failures").asLong())
                .isBetween(4L, 5L);
        assertThat(unwatched(any)).as("events no rule looks at").isLessThan(unwatched(internal));
    }

    private static long unwatched(JobRun job) {
        Matcher unwatched = Pattern.compile("unwatched events +([\\d,]+)").matcher(job.err());
        assertThat(unwatched.find()).as(job.err()).isTrue();
        return Long.parseLong(unwatched.group(1).replace(",", ""));
    }

    private List<JsonNode> alerts(String... settings) throws Exception {
        return alerts(new JobRun(), settings);
    }

    private List<JsonNode> alerts(JobRun job, String... settings) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        List<String> args = JobRun.demo(file, Testdata.explicitInputs());
        for (String setting : settings) {
            args.addAll(List.of("--set", setting));
        }
        job.succeeds(args);
        return AlertsFile.read(file);
    }

    private static Map<String, JsonNode> walks(List<JsonNode> alerts) {
        return alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("trw_scan"))
                .collect(Collectors.toMap(a -> a.at("/source/ip").asText(), a -> a));
    }

    private static Set<String> union(Set<String> some, String one) {
        Set<String> all = new TreeSet<>(some);
        all.add(one);
        return all;
    }

    /**
     * The walk takes each source's contacts in event time, so a stream names the same probes as a replay; walking
     * every destination, also the clients' contacts, which wait without a timer of their own.
     */
    @ParameterizedTest
    @ValueSource(strings = {"internal", "any"})
    void aStreamingRunGivesTheReplaysAlertsByteForByte(String destinations) throws Exception {
        Path replayed = dir.resolve("replayed.jsonl");
        Path streamed = dir.resolve("streamed.jsonl");
        JobRun job = new JobRun();
        List<String> walking =
                List.of("--set", "trw-scan.enabled=true", "--set", "trw-scan.destinations=" + destinations);
        List<String> replay = JobRun.demo(replayed, Testdata.explicitInputs());
        replay.addAll(walking);
        job.succeeds(replay);
        List<String> stream = JobRun.demo(streamed, Testdata.explicitInputs());
        stream.addAll(walking);
        stream.add("--streaming");
        job.succeeds(stream);
        assertThat(job.err()).containsPattern("late events +0\\b");
        assertThat(sorted(streamed)).isNotEmpty().isEqualTo(sorted(replayed));
    }

    private static List<String> sorted(Path alerts) throws Exception {
        return Files.readAllLines(alerts).stream().sorted().toList();
    }
}
