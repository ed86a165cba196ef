package io.scanwatch.parse.suricata;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuricataEveParserTest {
    private final SuricataEveParser parser = new SuricataEveParser();

    private static String flow(String proto, int toClientPackets, String flagsToServer, String flagsToClient) {
        return flow(proto, toClientPackets, flagsToServer, flagsToClient, "closed");
    }

    private static String flow(
            String proto, int toClientPackets, String flagsToServer, String flagsToClient, String state) {
        String tcp = flagsToServer == null
                ? ""
                : ",'tcp':{'tcp_flags':'1f','tcp_flags_ts':'" + flagsToServer + "','tcp_flags_tc':'" + flagsToClient
                        + "'}";
        return ("{'timestamp':'2021-06-06T15:57:37.272281+0200','flow_id':1,'event_type':'flow','src_ip':'91.238.203.56',"
                        + "'src_port':48938,'dest_ip':'192.168.1.129','dest_port':445,'proto':'" + proto
                        + "','flow':{'pkts_toserver':2,"
                        + "'pkts_toclient':" + toClientPackets + ",'bytes_toserver':120,'bytes_toclient':120,"
                        + "'start':'2021-06-06T17:34:31.140759+0200','end':'2021-06-06T17:34:31.141012+0200','state':'"
                        + state + "',"
                        + "'reason':'timeout'}" + tcp + "}")
                .replace('\'', '"');
    }

    @Test
    void readsAFlowTimedByItsStart() {
        ConnectionEvent c = parser.parse(flow("TCP", 2, "02", "14")).connection();
        assertThat(c.timestamp)
                .isEqualTo(Instant.parse("2021-06-06T15:34:31.140Z").toEpochMilli());
        assertThat(c.sourceIp).isEqualTo("91.238.203.56");
        assertThat(c.destinationPort).isEqualTo(445);
        assertThat(c.transport).isEqualTo(Transport.TCP);
        assertThat(c.destinationPackets).isEqualTo(2);
        assertThat(c.format).isEqualTo("suricata-eve");
    }

    @Test
    void icmpErrorsAreNotAttemptsAndEchoRequestsAre() {
        String unreachable = flow("ICMP", 0, null, null).replace("\"proto\"", "\"icmp_type\":3,\"proto\"");
        assertThat(parser.parse(unreachable).kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        String echo = flow("ICMP", 0, null, null).replace("\"proto\"", "\"icmp_type\":8,\"proto\"");
        assertThat(parser.parse(echo).connection().outcome).isEqualTo(Outcome.UNANSWERED);
    }

    // As Suricata 7.0.10 wrote them for testdata/captures/capture.pcap: a SYN to a silent host (new), a closed port
    // (closed, RST back), an open port nmap left (closed, SYN-ACK back, its RST); a UDP probe answered (established),
    // one refused by an ICMP port unreachable (new, one packet back), one unanswered.
    @ParameterizedTest(name = "{0} {5} back={1} ts={2} tc={3} -> {4}")
    @CsvSource({
        "TCP, 0, 02, 00, UNANSWERED, new",
        "TCP, 1, 02, 14, REJECTED, closed",
        "TCP, 2, 16, 12, ABORTED, closed",
        "TCP, 3, 1b, 1b, COMPLETED, closed",
        "TCP, 1, 02, 00, REJECTED, new",
        "TCP, 1, 00, 00, UNKNOWN, new",
        // Picked up midstream (a long connection past the flow timeout goes on as a new flow): data both ways is a
        // used service, as Zeek reads its OTH records with data both ways; a lone FIN/ACK without an answer says
        // nothing, as Zeek's OTH.
        "TCP, 3, 18, 18, COMPLETED, established",
        "TCP, 2, 18, 10, UNKNOWN, established",
        "TCP, 0, 11, 00, UNKNOWN, new",
        "TCP, 1, 01, 14, REJECTED, closed",
        "UDP, 0, , , UNANSWERED, new",
        "UDP, 1, , , REJECTED, new",
        "UDP, 1, , , COMPLETED, established",
        "UDP, 1, , , COMPLETED, bypassed",
        "ICMP, 1, , , REJECTED, new",
        "ICMP, 1, , , COMPLETED, established"
    })
    void outcomeFromFlagsAndReplies(
            String proto, int back, String toServer, String toClient, Outcome expected, String state) {
        String flow = flow(proto, back, toServer, toClient, state);
        if (proto.equals("ICMP")) {
            flow = flow.replace("\"proto\"", "\"icmp_type\":8,\"proto\"");
        }
        assertThat(parser.parse(flow).connection().outcome).isEqualTo(expected);
    }

    @Test
    void otherEventTypesAreSkippedAndBrokenFlowsRejected() {
        assertThat(parser.parse("{\"timestamp\":\"2021-06-06T15:57:37.2+0200\",\"event_type\":\"alert\"}")
                        .reason())
                .isEqualTo("event_type alert not watched");
        assertThat(parser.parse(flow("TCP", 1, "zz", "14")).reason())
                .isEqualTo("tcp.tcp_flags_ts is not TCP flags: 'zz'");
        assertThat(parser.parse(flow("TCP", 1, "02", "14").replace("2021-06-06T17", "2021-13-06T17"))
                        .reason())
                .startsWith("flow.start is not a time");
        assertThat(parser.parse("{\"event_type\":\"flow\",\"src_ip\":\"1.2.3.4\"}")
                        .kind())
                .isEqualTo(ParsedLine.Kind.REJECTED);
    }
}
