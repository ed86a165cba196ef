package io.scanwatch.parse.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The authentication parsers over real public logs in {@code ../shared/datasets} (read in place): no record is
 * rejected, and the brute-forcers the datasets document are there with their counts.
 */
class AuthDatasetsTest {

    private static Path dataset(String relative) {
        Path root = Paths.get(System.getProperty("scanwatch.datasets", "../../shared/datasets"));
        Path file = root.resolve(relative);
        assumeTrue(Files.isRegularFile(file), file + " is absent: validation against public logs skipped");
        return file;
    }

    private static List<AuthEvent> parseAll(
            TelemetryFormat format, ParseOptions options, Path file, Map<ParsedLine.Kind, Integer> kinds)
            throws Exception {
        LineParser parser = format.newParser(options);
        List<AuthEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            ParsedLine parsed = parser.parse(line);
            kinds.merge(parsed.kind(), 1, Integer::sum);
            assertThat(parsed.kind()).as(line + " -> " + parsed).isNotEqualTo(ParsedLine.Kind.REJECTED);
            if (parsed.kind() == ParsedLine.Kind.AUTHENTICATION) {
                events.add(parsed.authentication());
            }
        }
        return events;
    }

    private static Map<String, Integer> attemptsBySource(List<AuthEvent> events, boolean success) {
        return events.stream()
                .filter(e -> e.success == success)
                .collect(Collectors.groupingBy(e -> e.sourceIp, Collectors.summingInt(e -> e.attempts)));
    }

    /** Loghub OpenSSH_2k: 2,000 sshd lines from an exposed lab server, no year in the timestamps. */
    @Test
    void loghubOpensshBruteForce() throws Exception {
        Map<ParsedLine.Kind, Integer> kinds = new EnumMap<>(ParsedLine.Kind.class);
        List<AuthEvent> events = parseAll(
                TelemetryFormat.SSHD,
                new ParseOptions(ZoneOffset.UTC, 2017, Instant.EPOCH),
                dataset("loghub_openssh_auth/OpenSSH_2k.log"),
                kinds);
        assertThat(kinds.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2000);
        Map<String, Integer> failures = attemptsBySource(events, false);
        assertThat(failures.get("183.62.140.253")).isEqualTo(286);
        assertThat(failures.get("187.141.143.180")).isEqualTo(80);
        assertThat(failures.get("103.99.0.122")).isEqualTo(46);
        assertThat(attemptsBySource(events, true)).containsOnlyKeys("119.137.62.142");
        assertThat(events).allSatisfy(e -> assertThat(e.targetHost).isEqualTo("LabSZ"));
    }

    /** Stratosphere SSH honeypot: Zeek ssh.log, brute-forcers failing and bots logging in with default passwords. */
    @Test
    void stratosphereHoneypotSshLog() throws Exception {
        Map<ParsedLine.Kind, Integer> kinds = new EnumMap<>(ParsedLine.Kind.class);
        List<AuthEvent> events = parseAll(
                TelemetryFormat.ZEEK_SSH,
                ParseOptions.utcNow(),
                dataset("stratosphere_ssh_honeypot_zeek/ssh.log"),
                kinds);
        assertThat(kinds.get(ParsedLine.Kind.AUTHENTICATION) + kinds.get(ParsedLine.Kind.SKIPPED))
                .isEqualTo(8528);
        Map<String, Long> failedSessions = events.stream()
                .filter(e -> !e.success)
                .collect(Collectors.groupingBy(e -> e.sourceIp, Collectors.counting()));
        assertThat(failedSessions).containsKeys("112.85.42.94", "218.92.0.202");
        Map<String, Long> successes = events.stream()
                .filter(e -> e.success)
                .collect(Collectors.groupingBy(e -> e.sourceIp, Collectors.counting()));
        assertThat(successes.get("194.88.107.165")).isGreaterThan(1000);
        assertThat(events.stream().filter(e -> e.success).count()).isEqualTo(3200);
    }

    /** OTRF: PurpleSharp share-enumeration sweep, then network logons, and an Empire local-admin hunt (MIT). */
    @Test
    void otrfWindowsSweepThenLogons() throws Exception {
        String folder = "otrf_windows_spray_sweep_logon/";
        LineParser parser = TelemetryFormat.WINDOWS_JSON.newParser(ParseOptions.utcNow());
        List<String> lines = new ArrayList<>(
                Files.readAllLines(dataset(folder + "purplesharp_ad_playbook_I.network_logon_subset.jsonl")));
        lines.addAll(Files.readAllLines(dataset(folder + "empire_find_localadmin.network_logon_subset.jsonl")));
        List<String> smbTargets = new ArrayList<>();
        List<String> logonTargets = new ArrayList<>();
        for (String line : lines) {
            ParsedLine parsed = parser.parse(line);
            assertThat(parsed.kind()).as(line + " -> " + parsed).isNotEqualTo(ParsedLine.Kind.REJECTED);
            if (parsed.kind() == ParsedLine.Kind.CONNECTION
                    && parsed.connection().sourceIp.equals("172.18.39.5")
                    && parsed.connection().destinationPort == 445) {
                smbTargets.add(parsed.connection().destinationIp);
            }
            if (parsed.kind() == ParsedLine.Kind.AUTHENTICATION
                    && parsed.authentication().success
                    && parsed.authentication().sourceIp.equals("172.18.39.5")
                    && "pgustavo".equals(parsed.authentication().user)) {
                logonTargets.add(parsed.authentication().targetHost);
            }
        }
        assertThat(lines).hasSize(897);
        assertThat(smbTargets).contains("172.18.38.5", "172.18.39.6", "172.18.39.7");
        assertThat(logonTargets)
                .contains("MORDORDC.theshire.local", "WORKSTATION6.theshire.local", "WORKSTATION7.theshire.local");
    }
}
