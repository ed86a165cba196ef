package io.scanwatch.event;

import java.util.Comparator;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One connection attempt seen by any sensor, normalised: a plain public-field class. Flink writes it with {@link
 * ConnectionEventSerializer} (a new field goes there too, and its test fails until it does), so a stream of them is
 * one opaque value to the Table API: Flink SQL users get its fields as a row from {@code parse_telemetry}.
 */
@TypeInfo(ConnectionEventType.class)
public class ConnectionEvent {
    /** Event time: when the connection started, epoch milliseconds. */
    public long timestamp;

    public String sourceIp;
    public int sourcePort = -1;
    public String destinationIp;
    public int destinationPort = -1;
    public Transport transport;
    public Outcome outcome;
    /** Set by network classification; null until then. */
    public Direction direction;

    /** Counters where the sensor knows them; -1 when it does not. */
    public long sourceBytes = -1;

    public long destinationBytes = -1;
    public long sourcePackets = -1;
    public long destinationPackets = -1;

    /** Telemetry format the record came from, e.g. {@code zeek-conn}. */
    public String format;
    /** The sensor that saw it, as its input names it: a file's name, a Kafka topic. */
    public String sensor;
    /** The sensor's own words for the state, e.g. Zeek's {@code REJ/Sr}: evidence for an analyst. */
    public String sensorState;
    /** TCP flags seen, OR-ed as NetFlow and IPFIX carry them ({@link TcpFlags}); -1 when the sensor does not say. */
    public int tcpFlags = -1;
    /**
     * The record shows one direction only (NetFlow v5/v9, uniflow IPFIX): the answer is a record of its own, and
     * the outcome is what this direction alone shows until the two are paired.
     */
    public boolean oneWay;

    /**
     * Event time first, then every field {@link #equals} compares: events that are not equal always sort the same
     * way, whatever order they arrived in, so what is computed from a sorted batch does not depend on arrival.
     */
    public static final Comparator<ConnectionEvent> ORDER = Comparator.comparingLong((ConnectionEvent e) -> e.timestamp)
            .thenComparing(e -> e.sourceIp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(e -> e.sourcePort)
            .thenComparing(e -> e.destinationIp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(e -> e.destinationPort)
            .thenComparingInt(e -> e.tcpFlags)
            .thenComparingLong(e -> e.sourcePackets)
            .thenComparingLong(e -> e.sourceBytes)
            .thenComparingLong(e -> e.destinationPackets)
            .thenComparingLong(e -> e.destinationBytes)
            .thenComparing(e -> e.transport, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.outcome, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.direction, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.sensorState, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.sensor, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.format, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.oneWay);

    public ConnectionEvent() {}

    /** The service this attempt targets, as a scan counts it: {@code ip:port}, or {@code ip/proto} without ports. */
    public String destinationService() {
        return service(destinationIp, destinationPort, transport);
    }

    /** {@code ip:port}, or {@code ip/icmp} for a transport without ports. */
    public static String service(String ip, int port, Transport transport) {
        if (port < 0) {
            return ip + '/' + transport.name().toLowerCase(java.util.Locale.ROOT);
        }
        return IpText.withPort(ip, port);
    }

    /** A field-by-field copy: kept next to {@link #equals}, which names the same fields. */
    public ConnectionEvent copy() {
        ConnectionEvent c = new ConnectionEvent();
        c.timestamp = timestamp;
        c.sourceIp = sourceIp;
        c.sourcePort = sourcePort;
        c.destinationIp = destinationIp;
        c.destinationPort = destinationPort;
        c.transport = transport;
        c.outcome = outcome;
        c.direction = direction;
        c.sourceBytes = sourceBytes;
        c.destinationBytes = destinationBytes;
        c.sourcePackets = sourcePackets;
        c.destinationPackets = destinationPackets;
        c.format = format;
        c.sensor = sensor;
        c.sensorState = sensorState;
        c.tcpFlags = tcpFlags;
        c.oneWay = oneWay;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConnectionEvent)) {
            return false;
        }
        ConnectionEvent e = (ConnectionEvent) o;
        return timestamp == e.timestamp
                && sourcePort == e.sourcePort
                && destinationPort == e.destinationPort
                && sourceBytes == e.sourceBytes
                && destinationBytes == e.destinationBytes
                && sourcePackets == e.sourcePackets
                && destinationPackets == e.destinationPackets
                && Objects.equals(sourceIp, e.sourceIp)
                && Objects.equals(destinationIp, e.destinationIp)
                && transport == e.transport
                && outcome == e.outcome
                && direction == e.direction
                && Objects.equals(format, e.format)
                && Objects.equals(sensor, e.sensor)
                && Objects.equals(sensorState, e.sensorState)
                && tcpFlags == e.tcpFlags
                && oneWay == e.oneWay;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, sourceIp, sourcePort, destinationIp, destinationPort, transport, outcome);
    }

    @Override
    public String toString() {
        return format + " " + timestamp + " " + IpText.withPort(sourceIp, sourcePort) + " -> "
                + IpText.withPort(destinationIp, destinationPort) + " " + transport + " " + outcome
                + (direction == null ? "" : " " + direction);
    }
}
