package io.scanwatch.parse.nfdump;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.TcpFlags;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NfdumpParsersTest {
    private static final ParseOptions UTC = new ParseOptions(ZoneOffset.UTC, 0, Instant.EPOCH);
    private static final String HEADER = "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out";

    private static NfdumpCsvParser csv() {
        NfdumpCsvParser parser = new NfdumpCsvParser(UTC);
        assertThat(parser.parse(HEADER).kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        return parser;
    }

    private static String row(String flags, int packets, int reversePackets) {
        return "2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,147.32.80.119,147.32.82.62,52324,902,TCP," + flags
                + ",0,0," + packets + ",60," + reversePackets + ",0,0,0";
    }

    @Test
    void readsACsvRow() {
        ConnectionEvent c = csv().parse(row("......S.", 1, 0)).connection();
        assertThat(c.timestamp).isEqualTo(Instant.parse("2018-01-12T15:37:30Z").toEpochMilli());
        assertThat(c.sourceIp).isEqualTo("147.32.80.119");
        assertThat(c.destinationPort).isEqualTo(902);
        assertThat(c.sourcePackets).isEqualTo(1);
        assertThat(c.outcome).as("a lone SYN's answer is another record").isEqualTo(Outcome.UNKNOWN);
        assertThat(c.format).isEqualTo("nfdump-csv");
    }

    @ParameterizedTest(name = "{0} out={1} back={2}")
    @CsvSource({
        "......S., 1, 0, CONNECTION, UNKNOWN",
        "...A.RS., 3, 0, CONNECTION, ABORTED",
        "...AP.SF, 8, 0, CONNECTION, COMPLETED",
        "...A.R.., 1, 0, CONNECTION, UNKNOWN",
        "...A..S., 1, 0, CONNECTION, UNKNOWN",
        "...AP..., 4, 0, SKIPPED, ",
        "...A.R.., 1, 1, SKIPPED, ",
        "...A.RS., 1, 1, CONNECTION, REJECTED",
        "...A.RS., 2, 2, CONNECTION, ABORTED",
        "...AP.SF, 6, 5, CONNECTION, COMPLETED"
    })
    void outcomeFromFlagsInEitherDirection(String flags, int out, int back, ParsedLine.Kind kind, Outcome outcome) {
        ParsedLine parsed = csv().parse(row(flags, out, back));
        assertThat(parsed.kind()).isEqualTo(kind);
        if (outcome != null) {
            assertThat(parsed.connection().outcome).isEqualTo(outcome);
            assertThat(parsed.connection().oneWay)
                    .as("a record without reverse counters shows one direction")
                    .isEqualTo(back == 0);
        }
    }

    @Test
    void icmpTypeIsReadFromTheDestinationPortAndOnlyRequestsCount() {
        String unreachable = "2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,10.0.0.1,198.51.100.9,0,771,ICMP,........,"
                + "0,0,1,56,0,0,0,0";
        assertThat(csv().parse(unreachable).kind()).as("type 3, code 3").isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(csv().parse(unreachable.replace(",771,", ",2048,")).kind())
                .as("type 8: an echo request")
                .isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    @Test
    void flagLettersBecomeTcpFlagBits() {
        ConnectionEvent c = csv().parse(row("...A.RS.", 3, 0)).connection();
        assertThat(c.tcpFlags).isEqualTo(TcpFlags.ACK | TcpFlags.RST | TcpFlags.SYN);
    }

    @Test
    void rowsWithoutTheHeaderAreReadInNfdump17sColumns() {
        String quiet = "2026-11-29 23:58:09,2026-11-29 23:58:09,0.000,203.0.113.66,10.30.0.7,48812,80,TCP,...A.RS.,"
                + "0,0,3,164,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,"
                + "00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,"
                + "0-0-0,    0.000,    0.000,    0.000,0.0.0.0,0/0,0,2026-11-29 23:58:18.545";
        ConnectionEvent c = csv().parse(quiet).connection();
        assertThat(c.destinationPort).as("nfdump -q prints no header").isEqualTo(80);
        assertThat(c.outcome).isEqualTo(Outcome.ABORTED);
        assertThat(csv().parse("1,2,3").kind()).isEqualTo(ParsedLine.Kind.REJECTED);
    }

    /** Debian 13's nfdump 1.7.5 names its CSV columns, and its own -o csv leaves out the TCP flags. */
    @Test
    void readsNfdump175sNamedColumns() {
        NfdumpCsvParser custom = new NfdumpCsvParser(UTC);
        assertThat(custom.parse("firstSeen,lastSeen,duration,srcAddr,dstAddr,srcPort,dstPort,proto,flags,inPackets,"
                                + "inBytes,outPackets,outBytes")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        ConnectionEvent c = custom.parse("2026-11-30 02:40:42.614,2026-11-30 02:40:42.614,0.000,203.0.113.66,"
                        + "10.30.0.25,60000,80,6,......S.,1,60,0,0")
                .connection();
        assertThat(c.sourceIp).isEqualTo("203.0.113.66");
        assertThat(c.destinationPort).isEqualTo(80);
        assertThat(c.tcpFlags).isEqualTo(TcpFlags.SYN);
        assertThat(c.timestamp)
                .isEqualTo(Instant.parse("2026-11-30T02:40:42.614Z").toEpochMilli());

        NfdumpCsvParser reordered = new NfdumpCsvParser(UTC);
        reordered.parse("outBytes,outPackets,inBytes,inPackets,flags,proto,dstPort,srcPort,dstAddr,srcAddr,duration,"
                + "lastSeen,firstSeen");
        assertThat(reordered
                        .parse("0,0,60,1,......S.,6,80,60000,10.30.0.25,203.0.113.66,0.000,2026-11-30 02:40:42.614,"
                                + "2026-11-30 02:40:42.614")
                        .connection()
                        .sourceIp)
                .as("columns in another order")
                .isEqualTo("203.0.113.66");

        NfdumpCsvParser plain = new NfdumpCsvParser(UTC);
        plain.parse("firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows");
        ConnectionEvent udp = plain.parse("2026-11-30 02:40:39.365,0.000,17,203.0.113.101,57807,10.30.0.1,53,1,57,1")
                .connection();
        assertThat(udp.destinationPort).isEqualTo(53);
        assertThat(udp.sourceBytes).isEqualTo(57);
        assertThat(plain.parse("2026-11-30 02:40:37.000,0.000,58,fe80::1,0,ff02::2,129.0,1,56,1")
                        .kind())
                .as("an echo reply, type.code")
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(plain.parse("2026-11-30 02:40:37.911,0.002,6,203.0.113.101,8080,10.30.5.10,48708,3,5571,1")
                        .reason())
                .isEqualTo(NfdumpCsvParser.NO_TCP_FLAGS);
    }

    @Test
    void csvProblemsAreNamed() {
        assertThat(new NfdumpCsvParser(UTC).parse(row("......S.", 1, 0)).reason())
                .contains("before nfdump's header (ts,te,... or firstSeen,...)");
        assertThat(csv().parse("2018-01-12 15:37:30,x").reason()).contains("the header names 17");
        assertThat(csv().parse(row("SYN", 1, 0)).reason()).contains("CEUAPRSF");
        assertThat(csv().parse(row("......S.", 1, 0).replace(",52324,", ",,")).reason())
                .contains("a TCP flow without its source port");
        NfdumpCsvParser parser = csv();
        parser.parse("");
        assertThat(parser.parse("flows,bytes,packets,avg_bps,avg_pps,avg_bpp").kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    @Test
    void readsPrettyPrintedAndOneLineJson() {
        NfdumpJsonParser parser = new NfdumpJsonParser(UTC);
        List<ParsedLine> verdicts = new ArrayList<>();
        for (String line :
                ("[\n{\n\t\"type\" : \"FLOW\",\n\t\"first\" : \"2018-01-12T15:37:30.942\",\n\t\"in_packets\" : 1,\n"
                                + "\t\"in_bytes\" : 60,\n\t\"proto\" : 6,\n\t\"tcp_flags\" : \"......S.\",\n\t\"src_port\" : 52324,\n"
                                + "\t\"dst_port\" : 902,\n\t\"src4_addr\" : \"147.32.80.119\",\n\t\"dst4_addr\" : \"147.32.82.62\"\n},\n"
                                + "{\"type\":\"FLOW\",\"first\":\"2018-01-12T15:37:31.000\",\"proto\":17,\"src_port\":5353,\"dst_port\":53,"
                                + "\"src6_addr\":\"2001:db8::1\",\"dst6_addr\":\"2001:db8::53\",\"in_packets\":1,\"in_bytes\":80,"
                                + "\"out_packets\":1,\"out_bytes\":120}\n]")
                        .split("\n")) {
            verdicts.add(parser.parse(line));
        }
        List<ParsedLine> connections = verdicts.stream()
                .filter(v -> v.kind() == ParsedLine.Kind.CONNECTION)
                .toList();
        assertThat(connections).hasSize(2);
        assertThat(connections.get(0).connection().timestamp)
                .isEqualTo(Instant.parse("2018-01-12T15:37:30.942Z").toEpochMilli());
        assertThat(connections.get(0).connection().destinationPort).isEqualTo(902);
        assertThat(connections.get(1).connection().sourceIp).isEqualTo("2001:db8::1");
        assertThat(connections.get(1).connection().outcome).isEqualTo(Outcome.COMPLETED);
        assertThat(verdicts).allSatisfy(v -> assertThat(v.kind()).isNotEqualTo(ParsedLine.Kind.REJECTED));
        assertThat(verdicts).hasSize(15);
    }

    @Test
    void theLastObjectClosesWithTheArrayAsNfdump17WritesIt() {
        NfdumpJsonParser parser = new NfdumpJsonParser(UTC);
        for (String line : List.of(
                "[",
                "{",
                "\"first\" : \"2018-01-12T15:37:30.942\",",
                "\"proto\" : 6,",
                "\"tcp_flags\" : \"......S.\",",
                "\"src_port\" : 52324,",
                "\"dst_port\" : 902,",
                "\"src4_addr\" : \"147.32.80.119\",",
                "\"dst4_addr\" : \"147.32.82.62\"")) {
            assertThat(parser.parse(line).kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        }
        assertThat(parser.parse("}]").connection().destinationPort).isEqualTo(902);
    }

    @Test
    void theSummaryNfdumpPrintsAfterTheRowsIsNotAFlow() {
        NfdumpCsvParser parser = csv();
        parser.parse("ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt");
        parser.parse(row("......S.", 1, 0));
        assertThat(parser.parse("Summary").kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("flows,bytes,packets,avg_bps,avg_pps,avg_bpp").kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("705,187831,1165,129004,100,161").kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    @Test
    void aBrokenJsonObjectIsOneDeadLetter() {
        NfdumpJsonParser parser = new NfdumpJsonParser(UTC);
        parser.parse("{");
        parser.parse("\"first\" : \"2018-01-12T15:37:30\",");
        ParsedLine verdict = parser.parse("}");
        assertThat(verdict.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(verdict.record())
                .as("the whole object, for the dead letter")
                .isEqualTo("{\n\"first\" : \"2018-01-12T15:37:30\",\n}");
        assertThat(verdict.reason())
                .as("its place is the object's last line: the reason says where it began")
                .endsWith("(in the object of 3 lines that ends here)");
        assertThat(parser.parse("garbage").reason()).isEqualTo("not the start of a JSON object");
    }

    @Test
    void aFlowRefusedForItsValuesSaysWhereItsObjectBegan() {
        NfdumpJsonParser parser = new NfdumpJsonParser(UTC);
        for (String line : List.of(
                "{",
                "\"type\" : \"FLOW\",",
                "\"first\" : \"2018-01-12T15:37:30.942\",",
                "\"proto\" : 6,",
                "\"src_port\" : 52324,",
                "\"dst_port\" : 70000,",
                "\"src4_addr\" : \"147.32.80.119\",",
                "\"dst4_addr\" : \"147.32.82.62\"")) {
            parser.parse(line);
        }
        ParsedLine verdict = parser.parse("},");
        assertThat(verdict.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(verdict.reason()).contains("70000").endsWith("(in the object of 9 lines that ends here)");
        assertThat(verdict.record()).startsWith("{\n\"type\"");
    }
}
