package io.scanwatch.parse.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IcmpMessages;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NetfilterLogParserTest {
    private final NetfilterLogParser parser =
            new NetfilterLogParser(new ParseOptions(ZoneOffset.UTC, 2026, Instant.EPOCH));

    @Test
    void readsADroppedSyn() {
        ConnectionEvent c = parser.parse("Mar  2 09:00:01 fw01 kernel: [1234567.890123] DROP-IN IN=eth0 OUT= "
                        + "MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=198.51.100.7 DST=10.20.5.10 LEN=44 TOS=0x00 "
                        + "PREC=0x00 TTL=52 ID=54321 PROTO=TCP SPT=61000 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0")
                .connection();
        assertThat(c.timestamp).isEqualTo(Instant.parse("2026-03-02T09:00:01Z").toEpochMilli());
        assertThat(c.sourceIp).isEqualTo("198.51.100.7");
        assertThat(c.destinationIp).isEqualTo("10.20.5.10");
        assertThat(c.sourcePort).isEqualTo(61000);
        assertThat(c.destinationPort).isEqualTo(3389);
        assertThat(c.transport).isEqualTo(Transport.TCP);
        assertThat(c.outcome).isEqualTo(Outcome.UNANSWERED);
        assertThat(c.sensorState).isEqualTo("DROP-IN");
    }

    @Test
    void thePrefixIsTheVerdict() {
        String tail = " IN=eth0 OUT= SRC=198.51.100.7 DST=10.20.5.10 LEN=44 PROTO=UDP SPT=5000 DPT=161 LEN=24";
        assertThat(parser.parse("Mar  2 09:00:01 fw kernel: [1.0] REJECT-IN:" + tail)
                        .connection()
                        .outcome)
                .isEqualTo(Outcome.REJECTED);
        assertThat(parser.parse("Mar  2 09:00:01 fw kernel: [1.0] ACCEPT" + tail)
                        .connection()
                        .outcome)
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(parser.parse("Mar  2 09:00:01 fw kernel:" + tail).connection().sensorState)
                .isEqualTo("logged");
        ConnectionEvent icmp = parser.parse("2026-03-02T09:00:01+00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= "
                        + "SRC=2001:db8::7 DST=2001:db8:30::1 LEN=104 PROTO=ICMPv6 TYPE=128 CODE=0 ID=1 SEQ=1")
                .connection();
        assertThat(icmp.transport).isEqualTo(Transport.ICMP);
        assertThat(icmp.destinationPort).isEqualTo(-1);
        assertThat(icmp.outcome).isEqualTo(Outcome.UNANSWERED);
    }

    /** A host's echo replies and unreachables, logged on their way out, ask nothing: no attempt, as other readers. */
    @Test
    void icmpMessagesThatAreNoRequestAreSkipped() {
        for (String type : new String[] {"TYPE=0 CODE=0", "TYPE=3 CODE=3", "TYPE=11 CODE=0", "TYPE=129 CODE=0"}) {
            ParsedLine reply = parser.parse("Mar  2 09:00:01 fw kernel: [1.0] ACCEPT-OUT IN= OUT=eth0 SRC=10.15.0.80"
                    + " DST=45.34.11.1 LEN=84 PROTO=ICMP " + type + " ID=1 SEQ=1");
            assertThat(reply.kind()).as(type).isEqualTo(ParsedLine.Kind.SKIPPED);
            assertThat(reply.reason()).isEqualTo(IcmpMessages.NOT_A_REQUEST);
        }
        assertThat(parser.parse("Mar  2 09:00:01 fw kernel: [1.0] DROP IN=eth0 OUT= SRC=45.34.11.1 DST=10.15.0.80"
                                + " LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1")
                        .connection()
                        .outcome)
                .isEqualTo(Outcome.UNANSWERED);
    }

    @Test
    void otherLinesAreSkippedAndBrokenOnesRejected() {
        assertThat(parser.parse("Mar  2 09:00:01 fw kernel: [1.0] eth0: link up")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parser.parse("Mar  2 09:00:01 fw kernel: DROP IN=eth0 OUT= SRC=1.2.3 DST=10.0.0.1 PROTO=TCP")
                        .reason())
                .isEqualTo("SRC is not an IP address: '1.2.3'");
        assertThat(parser.parse(
                                "Mar  2 09:00:01 fw kernel: DROP IN=eth0 OUT= SRC=1.2.3.4 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=-3")
                        .reason())
                .isEqualTo("DPT is not a port: '-3'");
    }
}
