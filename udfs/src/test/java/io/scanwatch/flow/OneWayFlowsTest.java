package io.scanwatch.flow;

import static io.scanwatch.event.TcpFlags.ACK;
import static io.scanwatch.event.TcpFlags.FIN;
import static io.scanwatch.event.TcpFlags.PSH;
import static io.scanwatch.event.TcpFlags.RST;
import static io.scanwatch.event.TcpFlags.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each outcome two one-way records show, with the flags nfpcapd writes for real nmap, masscan and downloads. */
class OneWayFlowsTest {
    private static final long T = 1_780_000_000_000L;

    private static ConnectionEvent record(long at, String from, int fromPort, String to, int toPort, int flags) {
        ConnectionEvent e = new ConnectionEvent();
        e.timestamp = at;
        e.sourceIp = from;
        e.sourcePort = fromPort;
        e.destinationIp = to;
        e.destinationPort = toPort;
        e.transport = Transport.TCP;
        e.tcpFlags = flags;
        e.oneWay = true;
        e.outcome = Outcome.UNKNOWN;
        e.sourcePackets = 1;
        e.sourceBytes = 60;
        e.sensorState = Integer.toString(flags);
        return e;
    }

    private static ConnectionEvent request(int flags) {
        return record(T, "203.0.113.66", 48812, "10.30.0.7", 80, flags);
    }

    private static ConnectionEvent answer(int flags) {
        return record(T, "10.30.0.7", 80, "203.0.113.66", 48812, flags);
    }

    private static Outcome pair(ConnectionEvent a, ConnectionEvent b) {
        ConnectionEvent paired = OneWayFlows.initiates(a, b) ? OneWayFlows.paired(a, b) : OneWayFlows.paired(b, a);
        assertThat(paired.sourceIp).as("the initiator's event").isEqualTo("203.0.113.66");
        assertThat(paired.oneWay).isFalse();
        return paired.outcome;
    }

    @Test
    void bothDirectionsShareTheirConversation() {
        assertThat(OneWayFlows.conversation(request(SYN))).isEqualTo(OneWayFlows.conversation(answer(SYN | ACK)));
        assertThat(OneWayFlows.conversation(request(SYN)))
                .isNotEqualTo(OneWayFlows.conversation(record(T, "203.0.113.66", 48813, "10.30.0.7", 80, SYN)));
    }

    /** A collector's two copies of an export, read as two inputs: each record once, whichever input named it. */
    @Test
    void aRecordDeliveredByTwoInputsCountsOnce() {
        List<ConnectionEvent> records = new ArrayList<>();
        for (String file : List.of("router-a.csv", "router-a-copy.csv")) {
            for (ConnectionEvent record : List.of(request(SYN | ACK | RST), answer(SYN | ACK))) {
                record.sensor = file;
                records.add(record);
            }
        }
        OneWayFlows.Conversation judged = OneWayFlows.judge(records);
        assertThat(judged.events()).singleElement().satisfies(e -> {
            assertThat(e.outcome).isEqualTo(Outcome.ABORTED);
            assertThat(e.sensor).isEqualTo("router-a-copy.csv");
        });
        assertThat(judged.duplicates()).isEqualTo(2);
    }

    @Test
    void aConnectScanOfAnOpenPortIsAborted() {
        assertThat(pair(request(SYN | ACK | RST), answer(SYN | ACK))).isEqualTo(Outcome.ABORTED);
        assertThat(pair(answer(SYN | ACK), request(SYN | ACK | RST)))
                .as("in either order, at the same millisecond")
                .isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aSynScanOfAnOpenPortIsAbortedAndOfAClosedPortRejected() {
        assertThat(pair(request(SYN | RST), answer(SYN | ACK))).isEqualTo(Outcome.ABORTED);
        assertThat(pair(request(SYN), answer(ACK | RST))).isEqualTo(Outcome.REJECTED);
    }

    /**
     * As nfpcapd exported a connect scan of open ports 50001-50030 from the scanner's ports 33001-33030 (the records
     * in the same second of the CSV): the handshake is in both records, the ports in the same range, and the scanner
     * is the side that reset it. The record to the lower port is the victim's.
     */
    @Test
    void aConnectScanOfServicesInTheEphemeralRangeIsTheScanners() {
        ConnectionEvent scanner = record(T, "203.0.113.85", 33001, "10.30.0.9", 50001, SYN | ACK | RST);
        ConnectionEvent victim = record(T, "10.30.0.9", 50001, "203.0.113.85", 33001, SYN | ACK);
        for (List<ConnectionEvent> order : List.of(List.of(scanner, victim), List.of(victim, scanner))) {
            OneWayFlows.Conversation judged = OneWayFlows.judge(order);
            assertThat(judged.events()).singleElement().satisfies(event -> {
                assertThat(event.sourceIp).isEqualTo("203.0.113.85");
                assertThat(event.outcome).isEqualTo(Outcome.ABORTED);
            });
        }
    }

    /**
     * Closed ports above the scanner's own port (nmap's source ports run from 33000 to 64000, and -g 53 sends from a
     * service's port): the SYN asked and the reset refused it, whichever port is lower.
     */
    @Test
    void aClosedPortProbedFromALowerPortIsRefused() {
        for (int[] ports : new int[][] {{40000, 45001}, {53, 80}}) {
            ConnectionEvent probe = record(T, "203.0.113.80", ports[0], "10.30.0.5", ports[1], SYN);
            ConnectionEvent reset = record(T, "10.30.0.5", ports[1], "203.0.113.80", ports[0], ACK | RST);
            OneWayFlows.Conversation judged = OneWayFlows.judge(List.of(reset, probe));
            assertThat(judged.paired()).isEqualTo(1);
            assertThat(judged.events()).singleElement().satisfies(event -> {
                assertThat(event.sourceIp).isEqualTo("203.0.113.80");
                assertThat(event.destinationPort).isEqualTo(ports[1]);
                assertThat(event.outcome).isEqualTo(Outcome.REJECTED);
            });
        }
    }

    @Test
    void twoHalvesOfAConnectionsMiddleAreDroppedNotPaired() {
        OneWayFlows.Conversation judged = OneWayFlows.judge(List.of(request(ACK | PSH), answer(ACK | PSH | FIN)));
        assertThat(judged.events()).isEmpty();
        assertThat(judged.paired()).isZero();
        assertThat(judged.answersAlone()).isEqualTo(2);
    }

    @Test
    void aDownloadWhoseClientSendsNothingIsNotAProbe() {
        ConnectionEvent client = request(SYN | ACK | FIN);
        client.outcome = Outcome.ABORTED;
        assertThat(OneWayFlows.alone(client).outcome)
                .as("alone, its flags look like a connect scan")
                .isEqualTo(Outcome.ABORTED);
        ConnectionEvent served = answer(SYN | ACK | PSH | FIN);
        served.sourceBytes = 20_000;
        assertThat(pair(client, served)).isEqualTo(Outcome.COMPLETED);
        assertThat(OneWayFlows.paired(client, served).destinationBytes).isEqualTo(20_000);
    }

    @Test
    void anEarlierRecordInitiates() {
        ConnectionEvent later = answer(SYN | ACK);
        later.timestamp = T + 3;
        assertThat(OneWayFlows.initiates(request(SYN), later)).isTrue();
        assertThat(OneWayFlows.initiates(later, request(SYN))).isFalse();
    }

    @Test
    void aRecordLeftAloneKeepsWhatItsFlagsSay() {
        assertThat(OneWayFlows.alone(request(SYN)).outcome)
                .as("a bare SYN with no answer")
                .isEqualTo(Outcome.UNANSWERED);
        assertThat(OneWayFlows.alone(answer(SYN | ACK))).as("an answer alone").isNull();
        assertThat(OneWayFlows.alone(answer(ACK | RST))).as("a reset alone").isNull();
        assertThat(OneWayFlows.paired(answer(ACK | PSH), request(ACK | PSH)))
                .as("the middle of a long connection")
                .isNull();
    }

    private static ConnectionEvent datagram(long at, String from, int fromPort, String to, int toPort) {
        ConnectionEvent e = record(at, from, fromPort, to, toPort, 0);
        e.transport = Transport.UDP;
        e.tcpFlags = -1;
        return e;
    }

    @Test
    void aDatagramAndItsAnswerAreOneAnsweredExchangeOfTheClient() {
        ConnectionEvent query = datagram(T, "203.0.113.101", 53124, "10.30.0.1", 53);
        ConnectionEvent reply = datagram(T, "10.30.0.1", 53, "203.0.113.101", 53124);
        assertThat(OneWayFlows.pairs(query)).isTrue();
        assertThat(OneWayFlows.conversation(query)).isEqualTo(OneWayFlows.conversation(reply));
        assertThat(OneWayFlows.conversation(query))
                .as("UDP and TCP between the same endpoints are different conversations")
                .isNotEqualTo(OneWayFlows.conversation(record(T, "203.0.113.101", 53124, "10.30.0.1", 53, SYN)));
        ConnectionEvent exchange = OneWayFlows.initiates(reply, query)
                ? OneWayFlows.paired(reply, query)
                : OneWayFlows.paired(query, reply);
        assertThat(exchange.sourceIp)
                .as("at the same instant, the datagram to the service port asked")
                .isEqualTo("203.0.113.101");
        assertThat(exchange.outcome).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void aDatagramWithoutAnAnswerWentUnansweredUnlessItIsAnAnswerItself() {
        assertThat(OneWayFlows.alone(datagram(T, "203.0.113.68", 40000, "10.30.0.7", 161)).outcome)
                .isEqualTo(Outcome.UNANSWERED);
        assertThat(OneWayFlows.alone(datagram(T, "203.0.113.68", 53, "10.30.0.7", 161)).outcome)
                .as("nmap -g 53: a probe from a service port to a service port")
                .isEqualTo(Outcome.UNANSWERED);
        assertThat(OneWayFlows.alone(datagram(T, "203.0.113.68", 53, "10.30.0.7", 11211)).outcome)
                .as("nmap -g 53 at memcached: a service's port below the clients' ephemeral range")
                .isEqualTo(Outcome.UNANSWERED);
        assertThat(OneWayFlows.alone(datagram(T, "10.30.0.1", 53, "203.0.113.101", 40001)))
                .as("a resolver's answer whose query was not exported")
                .isNull();
    }

    /** One router per direction: the answer's exporter runs a little ahead, or the CSV rounds to the second. */
    @Test
    void clockSkewBetweenExportersDoesNotTurnTheAnswerIntoTheRequest() {
        ConnectionEvent scan = request(SYN | ACK | RST);
        scan.timestamp = T + 3;
        assertThat(pair(scan, answer(SYN | ACK))).as("the SYN-ACK answers").isEqualTo(Outcome.ABORTED);

        ConnectionEvent refused = request(SYN);
        refused.timestamp = T + 900;
        assertThat(pair(refused, answer(ACK | RST)))
                .as("neither is a SYN-ACK: the record to the service's port asked")
                .isEqualTo(Outcome.REJECTED);

        ConnectionEvent query = datagram(T + 1_000, "203.0.113.101", 53124, "10.30.0.1", 53);
        ConnectionEvent reply = datagram(T, "10.30.0.1", 53, "203.0.113.101", 53124);
        assertThat(OneWayFlows.initiates(query, reply)).isTrue();
        assertThat(OneWayFlows.initiates(reply, query)).isFalse();
    }
}
