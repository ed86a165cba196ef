package io.scanwatch.parse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.syslog.SyslogLine;
import io.scanwatch.parse.windows.WindowsEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoDetectParserTest {
    private static final ParseOptions OPTIONS = new ParseOptions(ZoneOffset.UTC, 2026, Instant.EPOCH);

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"ts\":1700000000.1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\"}| zeek-conn",
                "{\"ts\":1700000000.1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"auth_success\":false,\"auth_attempts\":2}| zeek-ssh",
                "{\"timestamp\":\"2021-06-06T15:57:37.2+0200\",\"event_type\":\"flow\",\"src_ip\":\"1.2.3.4\",\"dest_ip\":\"5.6.7.8\",\"proto\":\"UDP\",\"flow\":{\"pkts_toclient\":0}}| suricata-eve",
                "{\"@timestamp\":\"2026-03-02T09:00:05Z\",\"EventID\":5156,\"SourceAddress\":\"10.0.0.1\",\"DestAddress\":\"10.0.0.2\",\"DestPort\":\"445\",\"Protocol\":\"6\"}| windows-json",
                "Mar  2 09:00:01 bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2| sshd",
                "Mar  2 09:00:01 fw kernel: DROP IN=eth0 OUT= SRC=1.2.3.4 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=22| netfilter",
                "2 1 eni-1 198.51.100.7 172.31.9.12 49761 3389 6 1 40 1418530010 1418530070 REJECT OK| vpcflow",
                // nfdump -q -o csv (nfpcapd's capture in testdata): no header
                "2026-11-30 02:40:42,2026-11-30 02:40:42,0.000,10.30.0.1,203.0.113.66,80,39404,TCP,...A..S.,0,0,1,60,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,0.0.0.0,17/1,0,2026-11-30 02:40:52.016| nfdump-csv"
            })
    void recognisesEachFormatFromItsFirstLine(String line, String format) {
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        assertThat(parser.recognisedFormat()).isNull();
        ParsedLine parsed = parser.parse(line);
        assertThat(parser.recognisedFormat()).isEqualTo(format);
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(utf8, utf8.length))
                .as("the next line, as bytes, read by the format chosen")
                .usingRecursiveComparison()
                .isEqualTo(parsed);
        assertThat(parsed.kind())
                .as(parsed.toString())
                .isIn(ParsedLine.Kind.CONNECTION, ParsedLine.Kind.AUTHENTICATION);
        String actual = parsed.kind() == ParsedLine.Kind.CONNECTION
                ? parsed.connection().format
                : parsed.authentication().format;
        assertThat(actual).isEqualTo(format);
    }

    /** A custom VPC flow log format is known by its header line, which the records then follow. */
    @Test
    void aFlowLogsCustomHeaderLineIsRecognised() {
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        assertThat(parser.parse("version interface-id pkt-srcaddr srcaddr dstaddr srcport dstport protocol start"
                                + " action tcp-flags")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.recognisedFormat()).isEqualTo("vpcflow");
        ParsedLine row = parser.parse("5 eni-1 198.51.100.7 10.0.1.5 172.31.9.12 49761 3389 6 1418530010 REJECT 2");
        assertThat(row.connection().sourceIp).isEqualTo("198.51.100.7");
        assertThat(row.connection().destinationPort).isEqualTo(3389);
    }

    /**
     * Syslog's wire format starts with {@code <PRI>} as XML starts with {@code <}: an RFC 5424 line is refused by
     * name, as the syslog and sshd formats refuse it, not taken for a Windows event in XML.
     */
    @Test
    void anRfc5424SyslogLineIsNamedNotTakenForXml() {
        ParsedLine line = TelemetryFormat.AUTO
                .newParser(OPTIONS)
                .parse("<38>1 2026-03-02T09:18:02.000Z bastion sshd 4200 - - Failed password for root from"
                        + " 203.0.113.9 port 1 ssh2");
        assertThat(line.reason()).isEqualTo(SyslogLine.RFC_5424_REASON);
        assertThat(TelemetryFormat.AUTO
                        .newParser(OPTIONS)
                        .parse("<Event><System/></Event>")
                        .reason())
                .isEqualTo(WindowsEventParser.XML_REASON);
    }

    /** Auto-detection hands the line to the parser it chose: the reason says NUL characters once. */
    @Test
    void aRefusedLineWithNulCharactersSaysSoOnce() {
        String reason = TelemetryFormat.AUTO
                .newParser(OPTIONS)
                .parse("2026-11-30 02:40:42,2026-11-30 02:40:42,0.000,10.30\u0000.0.1,203.0.113.66,80,39404,TCP,"
                        + "...A..S.,0,0,1,60,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,"
                        + "00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,"
                        + "0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,0.0.0.0,17/1,0,"
                        + "2026-11-30 02:40:52.016")
                .reason();
        assertThat(reason).startsWith(LineParser.NUL_CHARACTERS);
        assertThat(reason.substring(LineParser.NUL_CHARACTERS.length())).doesNotContain("NUL characters");
    }

    @Test
    void nfdump175sNamedHeaderIsTelling() {
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        parser.parse("firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows");
        assertThat(parser.recognisedFormat()).isEqualTo("nfdump-csv");
        assertThat(parser.parse("2026-11-30 02:40:39.365,0.000,17,203.0.113.101,57807,10.30.0.1,53,1,57,1")
                        .kind())
                .isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"zeek-conn| conn_state", "zeek-ssh| auth_attempts"})
    void zeekTsvHeadersAreReplayedToTheChosenParser(String format, String column) {
        LineParser parser = TelemetryFormat.AUTO.newParser(OPTIONS);
        parser.parse("#separator \\x09");
        parser.parse("#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\t" + column);
        ParsedLine parsed = parser.parse(
                "1700000000.1\t10.0.0.1\t1\t10.0.0.2\t22\ttcp\t" + (column.equals("conn_state") ? "S0" : "3"));
        String actual = parsed.kind() == ParsedLine.Kind.CONNECTION
                ? parsed.connection().format
                : parsed.authentication().format;
        assertThat(actual).isEqualTo(format);
    }

    /** A TSV row before any telling line waits for a header; once a format is chosen, that format says. */
    @Test
    void awaitsAHeaderUntilAFormatIsChosenThatNeedsNone() {
        LineParser zeek = TelemetryFormat.AUTO.newParser(OPTIONS);
        assertThat(zeek.parse("1655071231.749548\tC1\t10.0.0.1\t1\t10.0.0.2\t22\ttcp")
                        .kind())
                .isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(zeek.awaitsHeader()).isTrue();
        zeek.parse("#path\tconn");
        assertThat(zeek.recognisedFormat()).isEqualTo("zeek-conn");
        assertThat(zeek.awaitsHeader()).as("zeek-conn chosen, no #fields yet").isTrue();
        zeek.parse("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state");
        assertThat(zeek.awaitsHeader()).isFalse();

        LineParser sshd = TelemetryFormat.AUTO.newParser(OPTIONS);
        sshd.parse("Mar  2 09:00:01 bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2");
        assertThat(sshd.awaitsHeader()).isFalse();
    }
}
