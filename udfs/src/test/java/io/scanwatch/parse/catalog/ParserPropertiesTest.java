package io.scanwatch.parse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.net.IpAddress;
import io.scanwatch.parse.EventTimeBounds;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser, fed random text and randomly damaged real-looking records: no exception escapes, every line gets
 * exactly one verdict, a verdict that is not an event says why, and an event holds what the detectors rely on.
 */
class ParserPropertiesTest {
    private static final ParseOptions OPTIONS =
            new ParseOptions(ZoneOffset.UTC, 0, Instant.parse("2026-03-02T12:00:00Z"));

    /** One valid record per format: the seeds the mutations start from. */
    static final Map<TelemetryFormat, String> SAMPLES = Map.ofEntries(
            Map.entry(
                    TelemetryFormat.ZEEK_CONN,
                    "{\"ts\":1700828217.314165,\"id.orig_h\":\"192.168.1.9\",\"id.orig_p\":50820,"
                            + "\"id.resp_h\":\"45.33.32.156\",\"id.resp_p\":443,\"proto\":\"tcp\",\"conn_state\":\"REJ\",\"history\":\"Sr\"}"),
            Map.entry(
                    TelemetryFormat.ZEEK_SSH,
                    "{\"ts\":1599755507.46,\"id.orig_h\":\"112.85.42.94\",\"id.orig_p\":32140,"
                            + "\"id.resp_h\":\"192.168.1.194\",\"id.resp_p\":22,\"auth_success\":false,\"auth_attempts\":3}"),
            Map.entry(
                    TelemetryFormat.SSHD,
                    "Mar  2 09:14:07 bastion sshd[24200]: Failed password for invalid user admin from "
                            + "203.0.113.9 port 52114 ssh2"),
            Map.entry(
                    TelemetryFormat.WINDOWS_JSON,
                    "{\"@timestamp\":\"2026-03-02T09:00:03.908Z\",\"EventID\":4624,\"Hostname\":\"DC01\","
                            + "\"TargetUserName\":\"pgustavo\",\"IpAddress\":\"10.18.39.5\",\"IpPort\":\"58179\",\"LogonType\":\"3\"}"),
            Map.entry(
                    TelemetryFormat.SURICATA_EVE,
                    "{\"event_type\":\"flow\",\"src_ip\":\"91.238.203.56\",\"src_port\":48938,"
                            + "\"dest_ip\":\"192.168.1.129\",\"dest_port\":445,\"proto\":\"TCP\",\"flow\":{\"pkts_toserver\":2,"
                            + "\"pkts_toclient\":2,\"start\":\"2021-06-06T17:34:31.140759+0200\"},\"tcp\":{\"tcp_flags_ts\":\"02\","
                            + "\"tcp_flags_tc\":\"14\"}}"),
            Map.entry(
                    TelemetryFormat.NFDUMP_JSON,
                    "{\"type\":\"FLOW\",\"first\":\"2018-01-12T15:37:30.942\",\"proto\":6,"
                            + "\"tcp_flags\":\"......S.\",\"src_port\":52324,\"dst_port\":902,\"src4_addr\":\"147.32.80.119\","
                            + "\"dst4_addr\":\"147.32.82.62\",\"in_packets\":1,\"in_bytes\":60}"),
            Map.entry(
                    TelemetryFormat.NFDUMP_CSV,
                    "2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,147.32.80.119,147.32.82.62,52324,902,"
                            + "TCP,......S.,0,0,1,60,0,0,0,0"),
            Map.entry(
                    TelemetryFormat.NETFILTER,
                    "Mar  2 09:00:01 fw01 kernel: [1234567.890] DROP-IN IN=eth0 OUT= SRC=198.51.100.7 "
                            + "DST=10.20.5.10 LEN=44 PROTO=TCP SPT=61000 DPT=3389 SYN"),
            Map.entry(
                    TelemetryFormat.VPCFLOW,
                    "2 123456789010 eni-1235b8ca 198.51.100.7 172.31.9.12 49761 3389 6 1 40 1418530010 "
                            + "1418530070 REJECT OK"),
            Map.entry(
                    TelemetryFormat.AUTO,
                    "Mar  2 09:14:07 bastion sshd[1]: Accepted publickey for deploy from 203.0.113.9 port 1 ssh2"),
            Map.entry(
                    TelemetryFormat.JOURNALD_JSON,
                    "{\"__REALTIME_TIMESTAMP\":\"1796210361618146\",\"_HOSTNAME\":\"bastion\","
                            + "\"SYSLOG_IDENTIFIER\":\"sshd-session\",\"MESSAGE\":\"Failed password for root from "
                            + "203.0.113.70 port 49049 ssh2\"}"),
            Map.entry(
                    TelemetryFormat.SYSLOG,
                    "2026-12-02T10:26:01.949573+00:00 bastion sshd-session[9671]: Failed password for root from "
                            + "203.0.113.70 port 34483 ssh2"));

    /** Lines some formats need before their records. */
    private static final Map<TelemetryFormat, String> PREAMBLE =
            Map.of(TelemetryFormat.NFDUMP_CSV, "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out");

    /** A Zeek conn.log TSV row, and the header it needs. */
    static final String ZEEK_TSV_ROW =
            "1700828217.314165\tCx1\t192.168.1.9\t50820\t45.33.32.156\t443\ttcp\t-\t0.1\t0\t0\tREJ\tSr\t1\t0";

    private static final List<String> ZEEK_TSV_HEADER = List.of(
            "#separator \\x09",
            "#unset_field\t-",
            "#empty_field\t(empty)",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes"
                    + "\tresp_bytes\tconn_state\thistory\torig_pkts\tresp_pkts");

    /** A fresh parser that has read what the format needs before {@code line}. */
    static LineParser parserWithPreamble(TelemetryFormat format, String line) {
        return parserWithPreamble(format, line, OPTIONS);
    }

    static LineParser parserWithPreamble(TelemetryFormat format, String line, ParseOptions options) {
        LineParser parser = format.newParser(options);
        if (format == TelemetryFormat.ZEEK_CONN && !line.startsWith("{")) {
            ZEEK_TSV_HEADER.forEach(parser::parse);
        }
        String preamble = PREAMBLE.get(format);
        if (preamble != null) {
            parser.parse(preamble);
        }
        return parser;
    }

    @Property(tries = 3000)
    void noLineIsLostAndNoneThrows(@ForAll("lines") Map.Entry<TelemetryFormat, String> input) {
        ParsedLine verdict =
                parserWithPreamble(input.getKey(), input.getValue()).parse(input.getValue());
        if (verdict.kind() == ParsedLine.Kind.REJECTED) {
            assertThat(verdict.reason()).as("rejected by the parser itself").doesNotStartWith("parser failed");
        }
        assertValid(verdict);
    }

    /** An event holds what the detectors rely on; any other verdict says why. */
    static void assertValid(ParsedLine verdict) {
        assertThat(verdict).isNotNull();
        switch (verdict.kind()) {
            case CONNECTION:
                ConnectionEvent c = verdict.connection();
                assertThat(IpAddress.tryParse(c.sourceIp)).isNotNull();
                assertThat(IpAddress.tryParse(c.destinationIp)).isNotNull();
                assertThat(c.transport).isNotNull();
                assertThat(c.outcome).isNotNull();
                assertThat(c.destinationPort).isBetween(-1, 65535);
                assertThat(EventTimeBounds.plausible(c.timestamp)).isTrue();
                break;
            case AUTHENTICATION:
                AuthEvent a = verdict.authentication();
                assertThat(IpAddress.tryParse(a.sourceIp)).isNotNull();
                assertThat(a.attempts).isNotNegative();
                assertThat(EventTimeBounds.plausible(a.timestamp)).isTrue();
                break;
            default:
                assertThat(verdict.reason()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Map.Entry<TelemetryFormat, String>> lines() {
        Arbitrary<TelemetryFormat> formats = Arbitraries.of(TelemetryFormat.values());
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(300);
        return Combinators.combine(
                        formats,
                        noise,
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 10_000),
                        Arbitraries.strings().ofMaxLength(12))
                .as((format, random, how, at, insert) -> Map.entry(
                        format,
                        switch (how) {
                            case 0 -> random;
                            case 1 -> damage(SAMPLES.get(format), at, insert);
                            default ->
                                SAMPLES.get(format)
                                        .substring(0, at % (SAMPLES.get(format).length() + 1));
                        }));
    }

    /** Replaces a stretch of the record at a random place with random text. */
    private static String damage(String sample, int at, String insert) {
        int from = at % sample.length();
        int to = Math.min(sample.length(), from + insert.length() + at % 7);
        return sample.substring(0, from) + insert + sample.substring(to);
    }

    @Property(tries = 200)
    void validSamplesStayValid(@ForAll("formats") TelemetryFormat format) {
        assertThat(parserWithPreamble(format, SAMPLES.get(format))
                        .parse(SAMPLES.get(format))
                        .kind())
                .isIn(List.of(ParsedLine.Kind.CONNECTION, ParsedLine.Kind.AUTHENTICATION));
    }

    @org.junit.jupiter.api.Test
    void theTsvSampleIsValid() {
        assertThat(parserWithPreamble(TelemetryFormat.ZEEK_CONN, ZEEK_TSV_ROW)
                        .parse(ZEEK_TSV_ROW)
                        .kind())
                .isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    @Provide
    Arbitrary<TelemetryFormat> formats() {
        return Arbitraries.of(TelemetryFormat.values());
    }
}
