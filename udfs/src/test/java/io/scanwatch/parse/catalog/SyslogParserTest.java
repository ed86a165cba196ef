package io.scanwatch.parse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** sshd's and netfilter's lines in one syslog stream, as a collector of every facility writes them. */
class SyslogParserTest {
    private static final ParseOptions OPTIONS =
            new ParseOptions(ZoneOffset.UTC, 2026, Instant.parse("2026-12-31T00:00:00Z"));
    private static final String CRON = "Dec  2 10:17:01 bastion CRON[9001]: (root) CMD (run-parts /etc/cron.hourly)";
    private static final String SSHD =
            "Dec  2 10:26:01 bastion sshd-session[9671]: Failed password for root from 203.0.113.70 port 34483 ssh2";
    private static final String NETFILTER = "Dec  2 10:25:58 bastion kernel: DROP-IN IN=eth0 OUT= SRC=203.0.113.70"
            + " DST=10.40.0.2 LEN=44 PROTO=TCP SPT=40685 DPT=113 WINDOW=1024 RES=0x00 SYN URGP=0";
    private static final String CHKPWD =
            "Dec  2 10:26:03 bastion unix_chkpwd[9678]: password check failed for user (root)";
    private static final String BROKEN = "Dec 32 10:26:04 bastion sshd-session[9676]: Failed password for root";

    private record Verdict(ParsedLine.Kind kind, String countedAs) {}

    private static List<Verdict> read(LineParser parser, String... lines) {
        return java.util.Arrays.stream(lines)
                .map(line -> new Verdict(parser.parse(line).kind(), parser.recognisedFormat()))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(
            value = TelemetryFormat.class,
            names = {"SYSLOG", "AUTO"})
    void eachLineIsReadAsItsKindAndCountedUnderIt(TelemetryFormat format) {
        String beforeAnyKind = format == TelemetryFormat.AUTO ? "syslog" : null;
        assertThat(read(format.newParser(OPTIONS), CRON, SSHD, NETFILTER, CHKPWD, BROKEN, NETFILTER))
                .containsExactly(
                        new Verdict(ParsedLine.Kind.SKIPPED, beforeAnyKind),
                        new Verdict(ParsedLine.Kind.AUTHENTICATION, "sshd"),
                        new Verdict(ParsedLine.Kind.CONNECTION, "netfilter"),
                        // Neither kind: under the first kind the stream showed, as a file of that kind alone.
                        new Verdict(ParsedLine.Kind.SKIPPED, "sshd"),
                        new Verdict(ParsedLine.Kind.REJECTED, "sshd"),
                        new Verdict(ParsedLine.Kind.CONNECTION, "netfilter"));
    }

    @Test
    void aFileOfFirewallLinesCountsAsNetfilterThroughout() {
        assertThat(read(TelemetryFormat.AUTO.newParser(OPTIONS), NETFILTER, CRON, NETFILTER))
                .extracting(Verdict::countedAs)
                .containsOnly("netfilter");
    }

    @Test
    void journalctlsTextOutputAndSyslogsWireFormatAreRead() {
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        assertThat(parser.parse("-- Logs begin at Mon 2026-11-30 02:40:37 UTC, end at Wed 2026-12-02 11:19:30 UTC. --")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.recognisedFormat()).isEqualTo("syslog");
        long time = parser.parse("2026-12-02T10:26:01+00:00 bastion sshd-session[1]: Failed password for root from"
                        + " 203.0.113.70 port 34483 ssh2")
                .authentication()
                .timestamp;
        assertThat(parser.parse("-- Boot 0f1624a66f4b4601a5ec1e74f0b3abb4 --").kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        for (String line : List.of(
                "2026-12-02T10:26:01+0000 bastion sshd-session[1]: Failed password for root from 203.0.113.70 port 1"
                        + " ssh2",
                "<38>2026-12-02T10:26:01+00:00 bastion sshd-session[1]: Failed password for root from 203.0.113.70"
                        + " port 1 ssh2",
                "2026-12-02T10:26:01+00:00 bastion /usr/sbin/sshd[1]: Failed password for root from 203.0.113.70"
                        + " port 1 ssh2")) {
            assertThat(parser.parse(line).authentication().timestamp).as(line).isEqualTo(time);
        }
        assertThat(parser.parse("<4>Dec  2 10:25:58 bastion kernel: DROP-IN IN=eth0 OUT= SRC=203.0.113.70"
                                + " DST=10.40.0.2 PROTO=TCP SPT=40685 DPT=113 SYN")
                        .kind())
                .isEqualTo(ParsedLine.Kind.CONNECTION);
        assertThat(parser.parse("<38>1 2026-12-02T10:26:01Z bastion sshd-session 1 - - Failed password for root")
                        .reason())
                .startsWith("RFC 5424 syslog");
    }

    @Test
    void aBadFieldInALineOfAKnownKindIsThatLinesDeadLetter() {
        ParsedLine parsed = TelemetryFormat.SYSLOG.newParser(OPTIONS).parse(NETFILTER.replace("203.0.113.70", "1.2.3"));
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(parsed.reason()).contains("SRC");
    }

    @Test
    void aJournalEntryIsReadAsTheSyslogLineItStandsFor() {
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        ParsedLine guess = parser.parse("{\"__REALTIME_TIMESTAMP\":\"1796210361618146\",\"_HOSTNAME\":\"bastion\","
                + "\"SYSLOG_IDENTIFIER\":\"sshd-session\",\"_COMM\":\"sshd-session\",\"_PID\":\"21795\","
                + "\"MESSAGE\":\"Failed password for root from 203.0.113.70 port 49049 ssh2\"}");
        assertThat(parser.recognisedFormat()).isEqualTo("sshd");
        assertThat(guess.authentication().timestamp).isEqualTo(1796210361618L);
        assertThat(guess.authentication().targetHost).isEqualTo("bastion");
        assertThat(guess.authentication().sourcePort).isEqualTo(49049);
        assertThat(parser.parse("{\"__REALTIME_TIMESTAMP\":\"1796210358291449\",\"_HOSTNAME\":\"bastion\","
                                + "\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":\"DROP-IN IN=eth0 OUT= SRC=203.0.113.70"
                                + " DST=10.40.0.2 PROTO=TCP SPT=63162 DPT=139 SYN \"}")
                        .connection()
                        .destinationPort)
                .isEqualTo(139);
        assertThat(parser.parse("{\"__REALTIME_TIMESTAMP\":\"1796210358291449\",\"SYSLOG_IDENTIFIER\":\"sshd\","
                                + "\"MESSAGE\":[70,97,105,108,101,100,7]}")
                        .kind())
                .as("a message that is not text, written as its bytes")
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("{\"__REALTIME_TIMESTAMP\":\"yesterday\",\"MESSAGE\":\"x\"}")
                        .reason())
                .contains("__REALTIME_TIMESTAMP");
    }

    /**
     * {@code testdata/captures/}: rsyslog's file and journalctl's JSON of one run of Debian 13's OpenSSH 10 and the
     * kernel's netfilter LOG target ({@code make-syslog.sh}). Every dropped SYN is a connection, every guess an
     * attempt, the same in both.
     */
    @ParameterizedTest
    @CsvSource({"collector-syslog.log", "journal.json"})
    void aRealCollectorsFileAndJournalAreReadWhole(String name) throws IOException {
        List<String> syslog =
                Files.readAllLines(Paths.get("../testdata/captures/collector-syslog.log"), StandardCharsets.UTF_8);
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        Map<String, Integer> parsed = new TreeMap<>();
        int guesses = 0;
        for (String line : Files.readAllLines(Paths.get("../testdata/captures", name), StandardCharsets.UTF_8)) {
            ParsedLine verdict = parser.parse(line);
            assertThat(verdict.kind()).as(line).isNotEqualTo(ParsedLine.Kind.REJECTED);
            if (verdict.kind() == ParsedLine.Kind.AUTHENTICATION) {
                guesses += verdict.authentication().success ? 0 : verdict.authentication().attempts;
            }
            if (verdict.kind() != ParsedLine.Kind.SKIPPED) {
                parsed.merge(parser.recognisedFormat(), 1, Integer::sum);
            }
        }
        assertThat(parsed.get("netfilter"))
                .isEqualTo(
                        (int) syslog.stream().filter(l -> l.contains("DROP-IN")).count())
                .isGreaterThan(100);
        assertThat(guesses)
                .isEqualTo((int) syslog.stream()
                        .filter(l -> l.contains(": Failed password for"))
                        .count())
                .isPositive();
        assertThat(parsed).containsOnlyKeys("netfilter", "sshd");
    }
}
