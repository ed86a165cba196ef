package io.scanwatch.parse.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.flow.OneWayFlows;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The flow parsers over real public captures in {@code ../shared/datasets}, read in place. */
class ConnectionDatasetsTest {
    private static final ParseOptions UTC = new ParseOptions(ZoneOffset.UTC, 0, Instant.now());

    private static Path dataset(String relative) {
        Path file = Paths.get(System.getProperty("scanwatch.datasets", "../../shared/datasets"))
                .resolve(relative);
        assumeTrue(Files.isRegularFile(file), file + " is absent: validation against public captures skipped");
        return file;
    }

    private static List<ConnectionEvent> parseAll(TelemetryFormat format, List<String> lines) {
        LineParser parser = format.newParser(UTC);
        List<ConnectionEvent> events = new ArrayList<>();
        for (String line : lines) {
            ParsedLine parsed = parser.parse(line);
            assertThat(parsed.kind()).as(line + " -> " + parsed).isNotEqualTo(ParsedLine.Kind.REJECTED);
            if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                events.add(parsed.connection());
            }
        }
        return events;
    }

    /** Suricata EVE from an exposed host: every flow parses; the SMB prober is refused on 445. */
    @Test
    void suricataEveSample() throws Exception {
        List<String> lines = Files.readAllLines(dataset("suricata_eve_sample/eve.sample.json"), StandardCharsets.UTF_8);
        List<ConnectionEvent> flows = parseAll(TelemetryFormat.SURICATA_EVE, lines);
        assertThat(flows).hasSize(61);
        assertThat(flows).anySatisfy(f -> {
            assertThat(f.sourceIp).isEqualTo("91.238.203.56");
            assertThat(f.destinationPort).isEqualTo(445);
        });
        assertThat(flows.stream().filter(f -> f.outcome == Outcome.UNKNOWN).count())
                .isLessThan(flows.size() / 4);
    }

    /**
     * Slips test1: 2,305 single-SYN flows to 147.32.82.62:902; 2,184 of them have their RST/ACK answer, a record of
     * its own, in the sample.
     */
    @Test
    void nfdumpCsvExport() throws Exception {
        List<String> lines =
                Files.readAllLines(dataset("slips_small_samples/test1-malicious.nfdump.csv"), StandardCharsets.UTF_8);
        List<ConnectionEvent> flows = parseAll(TelemetryFormat.NFDUMP_CSV, lines);
        long syns = flows.stream()
                .filter(f -> f.sourceIp.equals("147.32.80.119") && f.destinationPort == 902)
                .count();
        assertThat(syns).isEqualTo(2305);
        assertThat(flows.stream().filter(f -> f.sourcePort == 902))
                .as("the answers are one-way records that say nothing on their own")
                .allSatisfy(f ->
                        assertThat(f.oneWay && f.outcome == Outcome.UNKNOWN).isTrue());

        Map<String, List<ConnectionEvent>> conversations =
                flows.stream().filter(OneWayFlows::pairs).collect(Collectors.groupingBy(OneWayFlows::conversation));
        List<ConnectionEvent> probes = conversations.values().stream()
                .filter(pair -> pair.size() == 2)
                .map(pair -> OneWayFlows.initiates(pair.get(0), pair.get(1))
                        ? OneWayFlows.paired(pair.get(0), pair.get(1))
                        : OneWayFlows.paired(pair.get(1), pair.get(0)))
                .filter(f -> f.destinationPort == 902)
                .toList();
        assertThat(probes)
                .as("each SYN whose RST/ACK is in the sample (the sample cuts some conversations in two)")
                .hasSize(2184)
                .allSatisfy(f -> {
                    assertThat(f.sourceIp).isEqualTo("147.32.80.119");
                    assertThat(f.outcome).isEqualTo(Outcome.REJECTED);
                });
    }

    /** The same capture printed by the real nfdump as JSON, where nfdump is installed (.ci/run installs it). */
    @Test
    void nfdumpJsonExport() throws Exception {
        Path binary = dataset("slips_small_samples/test1-malicious.nfdump");
        assumeTrue(new File("/usr/bin/nfdump").canExecute(), "nfdump is not installed: JSON export not checked");
        Process nfdump = new ProcessBuilder("/usr/bin/nfdump", "-r", binary.toString(), "-o", "json")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new String(nfdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertThat(nfdump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<ConnectionEvent> flows = parseAll(TelemetryFormat.NFDUMP_JSON, lines);
        assertThat(flows.stream()
                        .filter(f -> f.sourceIp.equals("147.32.80.119") && f.destinationPort == 902)
                        .count())
                .isEqualTo(2305);
    }
}
