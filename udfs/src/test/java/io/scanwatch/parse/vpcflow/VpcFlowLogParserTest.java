package io.scanwatch.parse.vpcflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.ParsedLine;
import org.junit.jupiter.api.Test;

class VpcFlowLogParserTest {
    private final VpcFlowLogParser parser = new VpcFlowLogParser();

    @Test
    void readsARejectedProbe() {
        ConnectionEvent c = parser.parse("2 123456789010 eni-1235b8ca123456789 198.51.100.7 172.31.9.12 49761 3389 6 "
                        + "1 40 1418530010 1418530070 REJECT OK")
                .connection();
        assertThat(c.timestamp).isEqualTo(1418530010000L);
        assertThat(c.sourceIp).isEqualTo("198.51.100.7");
        assertThat(c.destinationPort).isEqualTo(3389);
        assertThat(c.transport).isEqualTo(Transport.TCP);
        assertThat(c.outcome).isEqualTo(Outcome.UNANSWERED);
        assertThat(c.sensorState).isEqualTo("REJECT eni-1235b8ca123456789");
    }

    @Test
    void acceptedTrafficIsUsedOnlyWhenItCarriedMore() {
        assertThat(parser.parse(
                                "2 1 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK")
                        .connection()
                        .outcome)
                .isEqualTo(Outcome.COMPLETED);
        assertThat(parser.parse("2 1 eni-1 172.31.16.139 172.31.16.21 20641 22 6 1 44 1418530010 1418530070 ACCEPT OK")
                        .connection()
                        .outcome)
                .isEqualTo(Outcome.UNKNOWN);
    }

    /**
     * VPC flow logs name no ICMP type: an accepted record may be a server's replies to the Internet's pings, which
     * would make it a ping sweep of its pingers. A rejected one is a request that got no answer.
     */
    @Test
    void acceptedIcmpIsSkippedAndRejectedIcmpUnanswered() {
        ParsedLine accepted =
                parser.parse("2 1 eni-1 10.15.0.80 45.34.11.1 0 0 1 5 420 1772445600 1772445605 ACCEPT OK");
        assertThat(accepted.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(accepted.reason()).isEqualTo(VpcFlowLogParser.ICMP_ACCEPTED);
        assertThat(parser.parse("2 1 eni-1 10.15.0.80 45.34.11.1 0 0 1 1 84 1772445600 1772445605 ACCEPT OK")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("2 1 eni-1 45.34.11.1 10.15.0.80 0 0 1 1 84 1772445600 1772445605 REJECT OK")
                        .connection()
                        .outcome)
                .isEqualTo(Outcome.UNANSWERED);
    }

    @Test
    void statusLinesHeadersAndBrokenLines() {
        assertThat(parser.parse(
                                "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
                                        + "start end action log-status")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("2 1 eni-1 - - - - - - - 1431280876 1431280934 - NODATA")
                        .reason())
                .isEqualTo("log-status NODATA");
        assertThat(parser.parse("2 1 eni-1 - - - - - - - 1431280876 1431280934 - SKIPDATA")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("2 1 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 40 soon 1418530070 REJECT OK")
                        .reason())
                .isEqualTo("start is not epoch seconds: 'soon'");
        assertThat(parser.parse("3 1 eni-1").reason()).contains("has 3 fields");
        assertThat(parser.parse("5 1 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 40 1418530010 1418530070 REJECT OK")
                        .reason())
                .startsWith("version 5 without a header line naming its fields");
    }

    /** A custom format as S3 delivers it: its header line first, then records in the order it names. */
    @Test
    void aCustomFormatIsReadInTheOrderItsHeaderLineNames() {
        assertThat(parser.parse("version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr"
                                + " srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action"
                                + " tcp-flags log-status")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        ConnectionEvent c = parser.parse("5 vpc-0a1 subnet-0b2 i-0c3 eni-0d4 123456789010 IPv4 10.0.1.5 172.31.9.12"
                        + " 49761 3389 198.51.100.7 - 6 40 1 1418530010 1418530070 REJECT 2 OK")
                .connection();
        assertThat(c.sourceIp).as("the packet's source, behind the NAT gateway").isEqualTo("198.51.100.7");
        assertThat(c.destinationIp).as("pkt-dstaddr '-': the interface's").isEqualTo("172.31.9.12");
        assertThat(c.sourcePort).isEqualTo(49761);
        assertThat(c.destinationPort).isEqualTo(3389);
        assertThat(c.sourcePackets).isEqualTo(1);
        assertThat(c.sourceBytes).isEqualTo(40);
        assertThat(c.timestamp).isEqualTo(1418530010000L);
        assertThat(c.outcome).isEqualTo(Outcome.UNANSWERED);
        assertThat(c.sensorState).isEqualTo("REJECT eni-0d4");
        assertThat(parser.parse("5 vpc-0a1 subnet-0b2").reason()).isEqualTo("has 3 fields, the header line names 21");

        VpcFlowLogParser minimal = new VpcFlowLogParser();
        minimal.parse("start srcaddr dstaddr dstport protocol action");
        ConnectionEvent bare =
                minimal.parse("1418530010 198.51.100.7 172.31.9.12 22 6 ACCEPT").connection();
        assertThat(bare.destinationPort).isEqualTo(22);
        assertThat(bare.sourcePort).isEqualTo(-1);
        assertThat(bare.outcome)
                .as("no packet count: not known to be more than a handshake")
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(bare.sensorState).isEqualTo("ACCEPT");
        assertThat(new VpcFlowLogParser()
                        .parse("version srcaddr dstaddr start action")
                        .reason())
                .isEqualTo(
                        "the header line names no dstport, protocol: a custom flow log format needs them to be read");
    }
}
