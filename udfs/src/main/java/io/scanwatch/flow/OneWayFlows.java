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

/**
 * Reads two one-way TCP flow records of one conversation as Zeek and Suricata read packets: the initiator's record
 * and the answer's. The answer decides what the initiator's flags alone cannot: a SYN-ACK means the port was open,
 * a RST that it was closed, payload that the service was used. A record whose answer never comes keeps what its
 * own flags say, except a bare SYN, which then went unanswered.
 */
public final class OneWayFlows {
    private OneWayFlows() {}

    /** Whether the record takes part in pairing: a one-way TCP record with its flags. */
    public static boolean pairs(ConnectionEvent event) {
        return event.oneWay && event.transport == Transport.TCP && event.tcpFlags >= 0;
    }

    /** The same for both directions of a conversation: the protocol and both endpoints, in a fixed order. */
    public static String conversation(ConnectionEvent event) {
        String source = IpText.withPort(event.sourceIp, event.sourcePort);
        String destination = IpText.withPort(event.destinationIp, event.destinationPort);
        return source.compareTo(destination) <= 0 ? source + ' ' + destination : destination + ' ' + source;
    }

    /**
     * Whether {@code a} started the conversation {@code b} answers: the earlier record, or at the same instant the
     * one that did not send a SYN-ACK, or else the one aimed at the lower (the service's) port.
     */
    public static boolean initiates(ConnectionEvent a, ConnectionEvent b) {
        if (a.timestamp != b.timestamp) {
            return a.timestamp < b.timestamp;
        }
        boolean aAnswers = has(a.tcpFlags, SYN) && has(a.tcpFlags, ACK);
        boolean bAnswers = has(b.tcpFlags, SYN) && has(b.tcpFlags, ACK);
        if (aAnswers != bAnswers) {
            return bAnswers;
        }
        return a.destinationPort <= b.destinationPort;
    }

    /**
     * The conversation as one event of the initiator, with the answer's counters and the outcome both show; null
     * when neither record holds the connection's start (two halves of a long connection's later part).
     */
    public static ConnectionEvent paired(ConnectionEvent initiator, ConnectionEvent answer) {
        if (!has(initiator.tcpFlags, SYN)) {
            return null;
        }
        ConnectionEvent event = initiator.copy();
        event.oneWay = false;
        event.destinationPackets = answer.sourcePackets;
        event.destinationBytes = answer.sourceBytes;
        event.sensorState = initiator.sensorState + " / " + answer.sensorState;
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
     * A record whose answer never came: an unanswered SYN, a connection whose own flags tell its outcome, or null
     * for what is itself an answer or the middle of a connection (never an attempt by the host that sent it).
     */
    public static ConnectionEvent alone(ConnectionEvent record) {
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
}
