package io.scanwatch.flow;

import static io.scanwatch.event.TcpFlags.ACK;
import static io.scanwatch.event.TcpFlags.FIN;
import static io.scanwatch.event.TcpFlags.PSH;
import static io.scanwatch.event.TcpFlags.RST;
import static io.scanwatch.event.TcpFlags.SYN;
import static io.scanwatch.event.TcpFlags.has;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.IpText;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads two one-way flow records of one conversation as Zeek and Suricata read packets: the initiator's record
 * and the answer's. For TCP the answer decides what the initiator's flags alone cannot: a SYN-ACK means the port
 * was open, a RST that it was closed, payload that the service was used. A TCP record whose answer never comes
 * keeps what its own flags say, except a bare SYN, which then went unanswered. For UDP any answer means the service
 * answered; a datagram without one went unanswered. An answer never counts as an attempt by the host that sent it.
 *
 * <p>ICMP errors (port or host unreachable) are not paired: NetFlow does not export the header they quote, so an
 * unreachable cannot be tied to one flow. A probe it answered stays unanswered, which every rule counts as the same
 * failure as a rejected one.
 */
public final class OneWayFlows {

    /** Ports below this are services' ports. */
    private static final int WELL_KNOWN_PORTS = 1024;

    /**
     * Clients send from ports at or above this (Linux from 32768, Windows and the BSDs from 49152); scanners aim at
     * services below it, even from a service's own port (nmap -g 53).
     */
    private static final int EPHEMERAL_PORTS = 32768;

    /** How far two exporters' clocks, or nfdump's whole-second CSV times, may disagree. */
    private static final long CLOCK_SKEW_MILLIS = 1_000;

    private OneWayFlows() {}

    /**
     * What the records of one conversation within one wait come to, whatever order they arrived in.
     *
     * @param events the conversation as events of its initiator: one per request record, paired or alone
     * @param paired requests paired with an answer
     * @param alone requests without an answer
     * @param answersAlone answers without a request, and records that are the middle of a connection: dropped
     * @param duplicates records seen more than once (a collector's two copies, a file read twice, whatever input
     *     named each): counted once
     */
    public record Conversation(List<ConnectionEvent> events, int paired, int alone, int answersAlone, int duplicates) {}

    /**
     * Judges the records of one conversation (same {@link #conversation}) that fall within one wait: duplicates
     * dropped, the side that started it found ({@link #initiates}), then each answer paired with a request;
     * requests left unanswered go {@link #alone}, answers left over are dropped.
     */
    public static Conversation judge(Collection<ConnectionEvent> records) {
        List<ConnectionEvent> all = new ArrayList<>(records);
        all.sort(ConnectionEvent.ORDER);
        // A record seen twice counts once, also when two inputs (a second collector, a rotated copy) named it.
        List<ConnectionEvent> sorted = new ArrayList<>();
        Set<ConnectionEvent> seen = new HashSet<>();
        for (ConnectionEvent record : all) {
            ConnectionEvent unnamed = record.copy();
            unnamed.sensor = null;
            if (seen.add(unnamed)) {
                sorted.add(record);
            }
        }
        int duplicates = records.size() - sorted.size();
        ConnectionEvent first = sorted.get(0);
        List<ConnectionEvent> ours = new ArrayList<>();
        List<ConnectionEvent> theirs = new ArrayList<>();
        for (ConnectionEvent record : sorted) {
            (sameSide(first, record) ? ours : theirs).add(record);
        }
        boolean oursStarted = theirs.isEmpty() || initiates(first, theirs.get(0));
        List<ConnectionEvent> requests = oursStarted ? ours : theirs;
        List<ConnectionEvent> answers = oursStarted ? theirs : ours;
        // Each answer goes to the latest request still unanswered when it was sent (a port reused, a retransmission
        // exported apart: the answer is to the newer one), or else to the oldest unanswered request.
        ConnectionEvent[] answerOf = new ConnectionEvent[requests.size()];
        int answersAlone = 0;
        for (ConnectionEvent answer : answers) {
            int match = -1;
            for (int i = requests.size() - 1; i >= 0 && match < 0; i--) {
                if (answerOf[i] == null && requests.get(i).timestamp <= answer.timestamp) {
                    match = i;
                }
            }
            for (int i = 0; i < requests.size() && match < 0; i++) {
                if (answerOf[i] == null) {
                    match = i;
                }
            }
            if (match < 0) {
                answersAlone++;
            } else {
                answerOf[match] = answer;
            }
        }
        List<ConnectionEvent> events = new ArrayList<>();
        int paired = 0;
        int alone = 0;
        for (int i = 0; i < requests.size(); i++) {
            ConnectionEvent event;
            if (answerOf[i] != null) {
                event = paired(requests.get(i), answerOf[i]);
                if (event == null) {
                    // Both records are the middle of a connection: neither asked here.
                    answersAlone += 2;
                } else {
                    paired++;
                }
            } else {
                event = alone(requests.get(i));
                if (event == null) {
                    answersAlone++;
                } else {
                    alone++;
                }
            }
            if (event != null) {
                events.add(event);
            }
        }
        return new Conversation(events, paired, alone, answersAlone, duplicates);
    }

    private static boolean sameSide(ConnectionEvent a, ConnectionEvent b) {
        return a.sourcePort == b.sourcePort && a.sourceIp.equals(b.sourceIp);
    }

    /** Whether the record takes part in pairing: a one-way TCP record with its flags, or a one-way UDP record. */
    public static boolean pairs(ConnectionEvent event) {
        return event.oneWay
                && (event.transport == Transport.TCP && event.tcpFlags >= 0 || event.transport == Transport.UDP);
    }

    /** The same for both directions of a conversation: the protocol and both endpoints, in a fixed order. */
    public static String conversation(ConnectionEvent event) {
        String source = IpText.withPort(event.sourceIp, event.sourcePort);
        String destination = IpText.withPort(event.destinationIp, event.destinationPort);
        String endpoints = source.compareTo(destination) <= 0 ? source + ' ' + destination : destination + ' ' + source;
        return event.transport == Transport.TCP ? endpoints : event.transport.name() + ' ' + endpoints;
    }

    /**
     * Whether {@code a} started the conversation {@code b} answers. The flags first: a SYN-ACK answers a record
     * without one, and where neither has one, a SYN asked and the reset (or the middle of a connection) did not. Then
     * time, when the records are further apart than two exporters' clocks may disagree (one router per direction;
     * nfdump's CSV keeps whole seconds). Then the ports: the record sent to a well-known port, or else to one below the
     * clients' ephemeral range, asked. Between two handshakes to ports of one range (a connect scan of services at
     * 50000 from clients' ports at 33000), the side that reset it without sending data asked: a connect scan closes
     * each connection so. Then the lower port, then the earlier record.
     */
    public static boolean initiates(ConnectionEvent a, ConnectionEvent b) {
        boolean aAnswers = synAck(a);
        boolean bAnswers = synAck(b);
        if (aAnswers != bAnswers) {
            return bAnswers;
        }
        if (!aAnswers && syn(a) != syn(b)) {
            return syn(a);
        }
        if (Math.abs(a.timestamp - b.timestamp) > CLOCK_SKEW_MILLIS) {
            return a.timestamp < b.timestamp;
        }
        int aRange = portRange(a.destinationPort);
        int bRange = portRange(b.destinationPort);
        if (aRange != bRange) {
            return aRange < bRange;
        }
        if (aAnswers && abortsEmpty(a) != abortsEmpty(b)) {
            return abortsEmpty(a);
        }
        if (a.destinationPort != b.destinationPort) {
            return a.destinationPort < b.destinationPort;
        }
        return a.timestamp <= b.timestamp;
    }

    /** 0 for a well-known port, 1 for one below the clients' ephemeral range, 2 in it. */
    private static int portRange(int port) {
        return port < WELL_KNOWN_PORTS ? 0 : port < EPHEMERAL_PORTS ? 1 : 2;
    }

    /** A record that reset its connection and carried no data. */
    private static boolean abortsEmpty(ConnectionEvent record) {
        return has(record.tcpFlags, RST) && !has(record.tcpFlags, PSH);
    }

    /**
     * The conversation as one event of the initiator, with the answer's counters and the outcome both show; null
     * when neither record holds the connection's start (two halves of a long connection's later part).
     */
    public static ConnectionEvent paired(ConnectionEvent initiator, ConnectionEvent answer) {
        boolean tcp = initiator.transport == Transport.TCP;
        if (tcp && !has(initiator.tcpFlags, SYN)) {
            return null;
        }
        ConnectionEvent event = initiator.copy();
        event.oneWay = false;
        event.destinationPackets = answer.sourcePackets;
        event.destinationBytes = answer.sourceBytes;
        event.sensorState = initiator.sensorState + " / " + answer.sensorState;
        if (!tcp) {
            event.outcome = Outcome.COMPLETED;
            return event;
        }
        int theirs = answer.tcpFlags;
        if (has(initiator.tcpFlags, PSH) || has(theirs, PSH)) {
            event.outcome = Outcome.COMPLETED;
        } else if (has(theirs, SYN) && has(theirs, ACK)) {
            event.outcome = Outcome.ABORTED;
        } else if (has(theirs, RST)) {
            event.outcome = Outcome.REJECTED;
        }
        return event;
    }

    /**
     * A record whose answer never came: an unanswered SYN or datagram, a connection whose own flags tell its
     * outcome, or null for what is itself an answer (a SYN-ACK, a reset, a datagram from a well-known port to a
     * client's ephemeral port) or the middle of a connection: never an attempt by the host that sent it.
     */
    public static ConnectionEvent alone(ConnectionEvent record) {
        if (record.transport != Transport.TCP) {
            if (record.sourcePort < WELL_KNOWN_PORTS && record.destinationPort >= EPHEMERAL_PORTS) {
                // From a service's port to a client's: an answer whose request the exporter did not see (asymmetric
                // routing), as Zeek orients a datagram by its likely server port.
                return null;
            }
            ConnectionEvent event = record.copy();
            event.oneWay = false;
            event.outcome = Outcome.UNANSWERED;
            return event;
        }
        int flags = record.tcpFlags;
        boolean bareSynAck = has(flags, ACK) && !has(flags, PSH) && !has(flags, RST) && !has(flags, FIN);
        if (!has(flags, SYN) || bareSynAck) {
            return null;
        }
        ConnectionEvent event = record.copy();
        event.oneWay = false;
        if (!has(flags, ACK)) {
            event.outcome = has(flags, RST) ? Outcome.UNKNOWN : Outcome.UNANSWERED;
        }
        return event;
    }

    private static boolean synAck(ConnectionEvent record) {
        return syn(record) && has(record.tcpFlags, ACK);
    }

    private static boolean syn(ConnectionEvent record) {
        return record.transport == Transport.TCP && has(record.tcpFlags, SYN);
    }
}
