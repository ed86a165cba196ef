package io.scanwatch.parse.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.GuardedParser;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeekConnParserTest {
    private static final String JSON_LINE =
            "{\"ts\":1700828217.314165,\"uid\":\"CfykLO1IT1nVRJhLA3\",\"id.orig_h\":\"192.168.1.9\","
                    + "\"id.orig_p\":50820,\"id.resp_h\":\"45.33.32.156\",\"id.resp_p\":443,\"proto\":\"tcp\","
                    + "\"duration\":0.2,\"orig_bytes\":0,\"resp_bytes\":0,\"conn_state\":\"REJ\",\"local_orig\":true,"
                    + "\"history\":\"Sr\",\"orig_pkts\":1,\"orig_ip_bytes\":60,\"resp_pkts\":1,\"resp_ip_bytes\":40,"
                    + "\"tunnel_parents\":[],\"extra\":{\"nested\":[1,2]}}";

    private static final String[] TSV_HEADER = {
        "#separator \\x09",
        "#set_separator\t,",
        "#empty_field\t(empty)",
        "#unset_field\t-",
        "#path\tconn",
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes"
                + "\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes"
                + "\ttunnel_parents",
        "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount"
                + "\tstring\tcount\tcount\tcount\tcount\tset[string]"
    };

    private static String tsv(
            String ts, String orig, String resp, String respPort, String proto, String state, String history) {
        return String.join(
                "\t",
                ts,
                "CHLXQF2OBY4onAR0Ug",
                orig,
                "46563",
                resp,
                respPort,
                proto,
                "-",
                "0.000010",
                "0",
                "0",
                state,
                "F",
                "T",
                "0",
                history,
                "2",
                "80",
                "0",
                "0",
                "(empty)");
    }

    private static ZeekConnParser tsvParser() {
        ZeekConnParser parser = new ZeekConnParser();
        for (String line : TSV_HEADER) {
            assertThat(parser.parse(line).kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        }
        return parser;
    }

    @Test
    void readsAJsonLine() {
        ParsedLine parsed = new ZeekConnParser().parse(JSON_LINE);
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.CONNECTION);
        ConnectionEvent e = parsed.connection();
        assertThat(e.timestamp).isEqualTo(1700828217314L);
        assertThat(e.sourceIp).isEqualTo("192.168.1.9");
        assertThat(e.sourcePort).isEqualTo(50820);
        assertThat(e.destinationIp).isEqualTo("45.33.32.156");
        assertThat(e.destinationPort).isEqualTo(443);
        assertThat(e.transport).isEqualTo(Transport.TCP);
        assertThat(e.outcome).isEqualTo(Outcome.REJECTED);
        assertThat(e.sensorState).isEqualTo("REJ/Sr");
        assertThat(e.sourcePackets).isEqualTo(1);
        assertThat(e.destinationBytes).isZero();
        assertThat(e.format).isEqualTo("zeek-conn");
        assertThat(e.destinationService()).isEqualTo("45.33.32.156:443");
    }

    /** Bytes, text: the same verdicts, also where the bytes are not UTF-8 or the text holds NULs. */
    @Test
    void readingBytesGivesTheVerdictOfTheText() {
        byte[] notUtf8 = JSON_LINE.getBytes(StandardCharsets.UTF_8);
        notUtf8[JSON_LINE.indexOf("CfykLO")] = (byte) 0xFF;
        byte[] stateNotUtf8 = JSON_LINE.getBytes(StandardCharsets.UTF_8);
        stateNotUtf8[JSON_LINE.indexOf("REJ")] = (byte) 0xC3;
        String withNul = JSON_LINE.replace("\"uid\":\"Cf", "\"uid\":\"\u0000");
        String badAddress = JSON_LINE.replace("45.33.32.156", "45.33.32.256");
        // Overlong forms of '7' and 'h', which decoding refuses: a reader of bytes must refuse them too.
        byte[] overlongDigit = overlong(JSON_LINE, "192.168.1.9", "192.168.1.", new byte[] {(byte) 0xC0, (byte) 0xB9});
        byte[] overlongName = overlong(JSON_LINE, "\"id.orig_h\"", "\"id.orig_", new byte[] {(byte) 0xC1, (byte) 0xA8});
        // '{' then NUL: UTF-16, which a reader of bytes must leave to the text.
        byte[] utf16 = JSON_LINE.getBytes(StandardCharsets.UTF_16LE);
        for (byte[] line : List.of(
                JSON_LINE.getBytes(StandardCharsets.UTF_8),
                notUtf8,
                stateNotUtf8,
                withNul.getBytes(StandardCharsets.UTF_8),
                badAddress.getBytes(StandardCharsets.UTF_8),
                "{\"ts\":".getBytes(StandardCharsets.UTF_8),
                overlongDigit,
                overlongName,
                utf16)) {
            String text = new String(line, StandardCharsets.UTF_8);
            assertThat(new ZeekConnParser().parse(line, line.length))
                    .as(text)
                    .usingRecursiveComparison()
                    .isEqualTo(new ZeekConnParser().parse(text));
        }
        assertThat(new ZeekConnParser().parse(stateNotUtf8, stateNotUtf8.length).connection().outcome)
                .as("read as its text is: a state of a replacement character and EJ is none Zeek knows")
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(new ZeekConnParser()
                        .parse(withNul.getBytes(StandardCharsets.UTF_8), withNul.length())
                        .reason())
                .as("said once")
                .startsWith(LineParser.NUL_CHARACTERS)
                .doesNotContain(LineParser.NUL_CHARACTERS + LineParser.NUL_CHARACTERS);
        assertThat(new ZeekConnParser()
                        .parse(badAddress.getBytes(StandardCharsets.UTF_8), badAddress.length())
                        .reason())
                .contains("45.33.32.256");
    }

    /**
     * Jackson's limits are no verdicts of the bytes' own: a line of hundreds of names whose hashes collide in its
     * name table (found by a hostile review: Jackson failed it as a hash-flooding attack while the bytes read it),
     * and a string longer than Jackson takes. Bytes and text agree on both.
     */
    @Test
    void jacksonsLimitsGiveTheSameVerdictToBytesAndText() {
        // As Zeek writes a line, without the sample's nested parts, so that the bytes are read without Jackson.
        String flat = JSON_LINE.substring(0, JSON_LINE.indexOf(",\"tunnel_parents\""));
        StringBuilder colliding = new StringBuilder(flat);
        for (int name = 0; name < 400; name++) {
            colliding.append(",\"");
            for (int bit = 0; bit < 9; bit++) {
                // "ab" and "bA" hash alike, so every name of nine such pairs falls into the same bucket.
                colliding.append(((name >> bit) & 1) == 0 ? "ab" : "bA");
            }
            colliding.append("\":0");
        }
        String longHistory = flat.replace("\"Sr\"", '"' + "S".repeat(20_000_001) + '"') + '}';
        for (String line : List.of(colliding.append('}').toString(), longHistory)) {
            byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
            ParsedLine text = new ZeekConnParser().parse(line);
            assertThat(new ZeekConnParser().parse(utf8, utf8.length))
                    .as(text.kind() + " " + text.reason())
                    .usingRecursiveComparison()
                    .isEqualTo(text);
        }
        assertThat(new ZeekConnParser().parse(colliding.toString()).kind())
                .as("valid JSON, read")
                .isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    /** The line's bytes with {@code find} written as {@code keep} and then {@code bytes}. */
    private static byte[] overlong(String line, String find, String keep, byte[] bytes) {
        int at = line.indexOf(find);
        byte[] before = (line.substring(0, at) + keep).getBytes(StandardCharsets.UTF_8);
        byte[] after = line.substring(at + find.length()).getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(before, before.length + bytes.length + after.length);
        System.arraycopy(bytes, 0, out, before.length, bytes.length);
        System.arraycopy(after, 0, out, before.length + bytes.length, after.length);
        return out;
    }

    @Test
    void readsNestedIdIsoTimeAndIpv6() {
        String line = "{\"ts\":\"2022-09-29T15:31:40.123456Z\",\"id\":{\"orig_h\":\"2001:DB8::5\",\"orig_p\":5000,"
                + "\"resp_h\":\"2001:db8:0:0:0:0:0:9\",\"resp_p\":22},\"proto\":\"tcp\",\"conn_state\":\"S0\",\"history\":\"S\"}";
        ConnectionEvent e = new ZeekConnParser().parse(line).connection();
        assertThat(e.timestamp).isEqualTo(1664465500123L);
        assertThat(e.sourceIp).isEqualTo("2001:db8::5");
        assertThat(e.destinationIp).isEqualTo("2001:db8::9");
        assertThat(e.outcome).isEqualTo(Outcome.UNANSWERED);
        assertThat(e.destinationService()).isEqualTo("[2001:db8::9]:22");
        assertThat(e.sourceBytes).isEqualTo(-1);
    }

    @Test
    void readsTsvAfterItsHeader() {
        ZeekConnParser parser = tsvParser();
        ParsedLine parsed =
                parser.parse(tsv("1655071231.749548", "193.201.9.232", "147.32.81.167", "3933", "tcp", "S0", "S"));
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.CONNECTION);
        ConnectionEvent e = parsed.connection();
        assertThat(e.timestamp).as("cut to its millisecond").isEqualTo(1655071231749L);
        assertThat(e.sourceIp).isEqualTo("193.201.9.232");
        assertThat(e.destinationPort).isEqualTo(3933);
        assertThat(e.outcome).isEqualTo(Outcome.UNANSWERED);
        assertThat(parser.parse("#close\t2022-06-17-00-00-07").kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    /** What a Kafka partition read from its middle asks: whether its rows wait for a header further back. */
    @Test
    void awaitsAHeaderUntilItsFieldsAreNamed() {
        ZeekConnParser parser = new ZeekConnParser();
        assertThat(parser.parse(JSON_LINE).kind()).isEqualTo(ParsedLine.Kind.CONNECTION);
        assertThat(parser.awaitsHeader()).as("JSON lines read, no header").isTrue();
        for (String line : TSV_HEADER) {
            parser.parse(line);
            assertThat(parser.awaitsHeader())
                    .as("after " + line)
                    .isEqualTo(!line.startsWith("#fields") && !line.startsWith("#types"));
        }
        parser.parse("#close\t2022-06-17-00-00-07");
        assertThat(parser.awaitsHeader()).as("a log's end keeps its layout").isFalse();
        assertThat(GuardedParser.of(new ZeekConnParser()).awaitsHeader()).isTrue();
        assertThat(GuardedParser.of(tsvParser()).awaitsHeader()).isFalse();
    }

    @Test
    void treatsUnsetAndEmptyFieldsAsAbsent() {
        ConnectionEvent e = tsvParser()
                .parse(tsv("1655071231.749548", "193.201.9.232", "147.32.81.167", "3933", "tcp", "OTH", "-"))
                .connection();
        assertThat(e.sensorState).isEqualTo("OTH");
        assertThat(e.outcome).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void icmpTypeAndCodeAreNotPorts() {
        String line = "{\"ts\":1664462456.1,\"id.orig_h\":\"172.16.1.11\",\"id.orig_p\":8,\"id.resp_h\":\"172.16.1.5\","
                + "\"id.resp_p\":0,\"proto\":\"icmp\",\"conn_state\":\"OTH\",\"resp_pkts\":0}";
        ConnectionEvent e = new ZeekConnParser().parse(line).connection();
        assertThat(e.destinationPort).isEqualTo(-1);
        assertThat(e.outcome).isEqualTo(Outcome.UNANSWERED);
        assertThat(e.destinationService()).isEqualTo("172.16.1.5/icmp");
    }

    @Test
    void icmpErrorsAndRepliesAreNotAttempts() {
        String unreachable = "{\"ts\":1664462456.1,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":3,"
                + "\"id.resp_h\":\"198.51.100.9\",\"id.resp_p\":3,\"proto\":\"icmp\",\"conn_state\":\"OTH\"}";
        assertThat(new ZeekConnParser().parse(unreachable).kind())
                .as("a router's destination unreachable")
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(new ZeekConnParser().parse(unreachable.replace(":3,", ":0,")).kind())
                .as("an echo reply")
                .isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    @ParameterizedTest(name = "{0} {1} {2}/{3} bytes -> {4}")
    @CsvSource({
        "tcp, S0, S, 0, 0, UNANSWERED",
        "tcp, SH, SF, 0, 0, UNANSWERED",
        "tcp, RSTOS0, SR, 0, 0, UNANSWERED",
        "tcp, REJ, Sr, 0, 0, REJECTED",
        "tcp, RSTO, ShR, 0, 0, ABORTED",
        "tcp, RSTO, ShAR, 0, 0, ABORTED",
        "tcp, RSTR, ShAdr, 0, 120, ABORTED",
        "tcp, RSTO, ShADdR, 300, 500, COMPLETED",
        "tcp, RSTO, ShAR, 0, 5000, COMPLETED",
        "tcp, RSTO, SR, 0, 0, REJECTED",
        "tcp, SF, ShAFf, 0, 0, ABORTED",
        "tcp, SF, ShADadFf, 400, 900, COMPLETED",
        "tcp, SF, ShADadFf, 0, 0, COMPLETED",
        "tcp, S1, ShA, 0, 0, ABORTED",
        "tcp, OTH, A, 0, 0, UNKNOWN",
        "tcp, OTH, ADadc, 0, 0, COMPLETED",
        "tcp, RSTRH, Car, 0, 0, UNKNOWN",
        "tcp, SHR, Cf, 0, 0, UNKNOWN",
        "udp, S0, D, 0, 0, UNANSWERED",
        "udp, SF, Dd, 40, 120, COMPLETED",
        "udp, SHR, d, 0, 40, UNKNOWN",
        "sctp, S0, S, 0, 0, UNKNOWN"
    })
    void mapsConnStateAndHistoryToOutcome(
            String proto, String state, String history, long origBytes, long respBytes, Outcome expected) {
        String line = String.format(
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1234,"
                        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"%s\",\"conn_state\":\"%s\",\"history\":\"%s\","
                        + "\"orig_bytes\":%d,\"resp_bytes\":%d,\"resp_pkts\":1}",
                proto, state, history, origBytes, respBytes);
        assertThat(new ZeekConnParser().parse(line).connection().outcome).isEqualTo(expected);
    }

    /** dns.log and notice.log share conn.log's id columns; read as connections they made resolvers scanners. */
    @Test
    void linesOfOtherZeekLogsAreSkipped() {
        String dns = "{\"ts\":1700000000.0,\"uid\":\"C0\",\"id.orig_h\":\"10.1.1.53\",\"id.orig_p\":40000,"
                + "\"id.resp_h\":\"198.51.100.1\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":1000,"
                + "\"query\":\"host0.example.com\",\"rcode_name\":\"NOERROR\",\"answers\":[\"192.0.2.1\"]}";
        ParsedLine parsed = new ZeekConnParser().parse(dns);
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parsed.reason()).isEqualTo("no conn_state: a line of another Zeek log, not conn.log");
        byte[] bytes = dns.getBytes(StandardCharsets.UTF_8);
        assertThat(new ZeekConnParser().parse(bytes, bytes.length).kind())
                .as("read as bytes too")
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        String streamed = JSON_LINE.replace("{", "{\"_path\":\"dns\",");
        assertThat(new ZeekConnParser().parse(streamed).reason()).isEqualTo("a line of Zeek's dns.log, not conn.log");
        for (String conn : new String[] {"conn", "conn_long", "conn-internal"}) {
            assertThat(new ZeekConnParser()
                            .parse(JSON_LINE.replace("{", "{\"_path\":\"" + conn + "\","))
                            .kind())
                    .isEqualTo(ParsedLine.Kind.CONNECTION);
        }
        assertThat(new ZeekConnParser()
                        .parse(JSON_LINE.replace("{", "{\"_path\":\"conn\",").replace("\"conn_state\":\"REJ\",", ""))
                        .kind())
                .as("a conn log that says so needs no conn_state")
                .isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    @Test
    void aTsvLogOfAnotherPathIsSkippedAndTheNextConnLogReadAgain() {
        LineParser parser = new ZeekConnParser();
        List<String> dnsHeader = List.of(
                "#separator \\x09",
                "#path\tdns",
                "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\tquery",
                "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring");
        dnsHeader.forEach(parser::parse);
        ParsedLine dns = parser.parse("1700000000.0\tC0\t10.1.1.53\t40000\t198.51.100.1\t53\tudp\tS0\thost.example");
        assertThat(dns.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(dns.reason()).isEqualTo("a line of Zeek's dns.log, not conn.log");
        for (String header : TSV_HEADER) {
            parser.parse(header);
        }
        assertThat(parser.parse(tsv("1700000001.0", "193.201.9.232", "147.32.81.167", "3933", "tcp", "S0", "S"))
                        .kind())
                .as("a conn log concatenated after it begins with its own header")
                .isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"proto\":\"tcp\",\"conn_state\":\"S0\"}| missing ts",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"proto\":\"tcp\",\"conn_state\":\"S0\"| malformed JSON: Unexpected end-of-input",
                "{\"ts\":\"yesterday\",\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"proto\":\"tcp\",\"conn_state\":\"S0\"}| ts is not a time",
                "{\"ts\":928.5,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"proto\":\"tcp\",\"conn_state\":\"S0\"}| out of the plausible range (1995 to 2099): '928.5'",
                "{\"ts\":1700000000123,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"proto\":\"tcp\",\"conn_state\":\"S0\"}| out of the plausible range (1995 to 2099): '1700000000123' (a thousandth of it would be plausible: written in a unit a thousand times finer than the field's, milliseconds for seconds?)",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.999\",\"id.resp_h\":\"10.0.0.2\",\"proto\":\"tcp\",\"conn_state\":\"S0\"}| id.orig_h is not an IP address",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":70000,\"proto\":\"tcp\",\"conn_state\":\"S0\"}| id.resp_p is not a port",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":null,\"proto\":\"tcp\",\"conn_state\":\"S0\"}| missing id.resp_p",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":22,\"orig_bytes\":-5,\"proto\":\"tcp\",\"conn_state\":\"S0\"}| orig_bytes is not a count",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"conn_state\":\"S0\"}| missing proto",
                "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.1\",\"proto\":\"tcp\",\"conn_state\":\"S0\"}| missing id.resp_h",
                "[1,2,3]| not a JSON object",
                "{\"ts\":1700000000} trailing| malformed JSON",
                "{\"ts\":1700000000} {}| text after the JSON object",
                "1655071231.749548\t10.0.0.1| neither a JSON object nor a TSV row after a #fields header",
                "garbage here| neither a JSON object nor a TSV row after a #fields header"
            })
    void rejectsBrokenRecordsWithTheReason(String line, String reason) {
        ParsedLine parsed = new ZeekConnParser().parse(line);
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(parsed.reason()).contains(reason);
    }

    @Test
    void rejectsTsvRowsThatDoNotMatchTheHeader() {
        ParsedLine parsed = tsvParser().parse("1655071231.749548\tC1\t10.0.0.1\t5");
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(parsed.reason()).contains("4 columns").contains("21");
    }

    @Test
    void skipsBlankLines() {
        assertThat(new ZeekConnParser().parse("   ").kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    /** Random damage to valid records: every line gets a verdict, none throws. */
    @Test
    void neverThrowsOnMangledInput() {
        Random random = new Random(42);
        String tsvLine = tsv("1655071231.749548", "193.201.9.232", "147.32.81.167", "3933", "tcp", "S0", "S");
        ZeekConnParser parser = tsvParser();
        int events = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder line = new StringBuilder(random.nextBoolean() ? JSON_LINE : tsvLine);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && line.length() > 0; e++) {
                int at = random.nextInt(line.length());
                switch (random.nextInt(3)) {
                    case 0:
                        line.deleteCharAt(at);
                        break;
                    case 1:
                        line.insert(at, (char) random.nextInt(128));
                        break;
                    default:
                        line.setLength(at);
                }
            }
            ParsedLine parsed = parser.parse(line.toString());
            assertThat(parsed.kind()).isNotNull();
            if (parsed.kind() == ParsedLine.Kind.CONNECTION) {
                events++;
                assertThat(parsed.connection().sourceIp).isNotNull();
                assertThat(parsed.connection().outcome).isNotNull();
            } else {
                assertThat(parsed.reason()).isNotBlank();
            }
        }
        assertThat(events).isPositive();
    }
}
