package io.scanwatch.event;

import static io.scanwatch.serial.CompactFields.readText;
import static io.scanwatch.serial.CompactFields.readVarLong;
import static io.scanwatch.serial.CompactFields.writeText;
import static io.scanwatch.serial.CompactFields.writeVarLong;

import io.scanwatch.serial.LayoutSerializer;
import io.scanwatch.serial.PojoSuccessorSnapshot;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link ConnectionEvent} without reflection: every probe crosses the network from its reader to the
 * detectors and, in a replay, goes through each one's sort, and Flink's POJO serializer spent a sixth of the busiest
 * detector's time on them on a day of records (#11). One-way flows waiting for their reply wait in state as them.
 *
 * <p>Layout: a short of which fields are there (the five texts and three enums may be null) and whether the record
 * is one-way; the time; the texts a byte a character when ASCII; the ports, flags and counters as variable-length
 * integers, zigzag-coded (most are small, and -1 says unknown); the enums as their place in the lists below. The
 * layout is frozen once in state: a new field or enum constant needs a snapshot class of its own, and a constant
 * missing from the lists fails at its first write, not silently.
 */
public final class ConnectionEventSerializer extends LayoutSerializer<ConnectionEvent> {
    private static final long serialVersionUID = 1L;

    private static final List<Transport> TRANSPORTS =
            List.of(Transport.TCP, Transport.UDP, Transport.ICMP, Transport.OTHER);
    private static final List<Outcome> OUTCOMES =
            List.of(Outcome.UNANSWERED, Outcome.REJECTED, Outcome.ABORTED, Outcome.COMPLETED, Outcome.UNKNOWN);
    private static final List<Direction> DIRECTIONS = List.of(
            Direction.EXTERNAL_INTERNAL,
            Direction.INTERNAL_EXTERNAL,
            Direction.INTERNAL_INTERNAL,
            Direction.EXTERNAL_EXTERNAL);

    private static final int SOURCE = 1;
    private static final int DESTINATION = 1 << 1;
    private static final int FORMAT = 1 << 2;
    private static final int SENSOR = 1 << 3;
    private static final int SENSOR_STATE = 1 << 4;
    private static final int TRANSPORT = 1 << 5;
    private static final int OUTCOME = 1 << 6;
    private static final int DIRECTION = 1 << 7;
    private static final int ONE_WAY = 1 << 8;

    @Override
    public ConnectionEvent createInstance() {
        return new ConnectionEvent();
    }

    @Override
    public ConnectionEvent copy(ConnectionEvent from) {
        return from.copy();
    }

    @Override
    public void serialize(ConnectionEvent event, DataOutputView out) throws IOException {
        int present = (event.sourceIp != null ? SOURCE : 0)
                | (event.destinationIp != null ? DESTINATION : 0)
                | (event.format != null ? FORMAT : 0)
                | (event.sensor != null ? SENSOR : 0)
                | (event.sensorState != null ? SENSOR_STATE : 0)
                | (event.transport != null ? TRANSPORT : 0)
                | (event.outcome != null ? OUTCOME : 0)
                | (event.direction != null ? DIRECTION : 0)
                | (event.oneWay ? ONE_WAY : 0);
        out.writeShort(present);
        out.writeLong(event.timestamp);
        writeTexts(event, out);
        // Straight writes, not a loop over arrays built for it: this runs for every probe.
        writeSigned(event.sourcePort, out);
        writeSigned(event.destinationPort, out);
        writeSigned(event.tcpFlags, out);
        writeSigned(event.sourceBytes, out);
        writeSigned(event.destinationBytes, out);
        writeSigned(event.sourcePackets, out);
        writeSigned(event.destinationPackets, out);
        writePlace(TRANSPORTS, event.transport, out);
        writePlace(OUTCOMES, event.outcome, out);
        writePlace(DIRECTIONS, event.direction, out);
    }

    @Override
    public ConnectionEvent deserialize(DataInputView in) throws IOException {
        ConnectionEvent event = new ConnectionEvent();
        int present = in.readUnsignedShort();
        event.oneWay = (present & ONE_WAY) != 0;
        event.timestamp = in.readLong();
        event.sourceIp = readIf(present, SOURCE, in);
        event.destinationIp = readIf(present, DESTINATION, in);
        event.format = readIf(present, FORMAT, in);
        event.sensor = readIf(present, SENSOR, in);
        event.sensorState = readIf(present, SENSOR_STATE, in);
        event.sourcePort = (int) readSigned(in);
        event.destinationPort = (int) readSigned(in);
        event.tcpFlags = (int) readSigned(in);
        event.sourceBytes = readSigned(in);
        event.destinationBytes = readSigned(in);
        event.sourcePackets = readSigned(in);
        event.destinationPackets = readSigned(in);
        event.transport = readPlace(TRANSPORTS, present, TRANSPORT, in);
        event.outcome = readPlace(OUTCOMES, present, OUTCOME, in);
        event.direction = readPlace(DIRECTIONS, present, DIRECTION, in);
        return event;
    }

    /** The texts that are there, in the order the presence short names them. */
    private static void writeTexts(ConnectionEvent event, DataOutputView out) throws IOException {
        writeIfThere(event.sourceIp, out);
        writeIfThere(event.destinationIp, out);
        writeIfThere(event.format, out);
        writeIfThere(event.sensor, out);
        writeIfThere(event.sensorState, out);
    }

    private static void writeIfThere(String text, DataOutputView out) throws IOException {
        if (text != null) {
            writeText(text, out);
        }
    }

    private static String readIf(int present, int field, DataInputView in) throws IOException {
        return (present & field) != 0 ? readText(in) : null;
    }

    /** Zigzag: -1 (unknown) takes a byte, as do small counts. */
    private static void writeSigned(long value, DataOutputView out) throws IOException {
        writeVarLong((value << 1) ^ (value >> 63), out);
    }

    private static long readSigned(DataInputView in) throws IOException {
        long zigzag = readVarLong(in);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    private static <E extends Enum<E>> void writePlace(List<E> constants, E value, DataOutputView out)
            throws IOException {
        if (value == null) {
            return;
        }
        int place = constants.indexOf(value);
        if (place < 0) {
            throw new IllegalStateException(
                    value + " has no place in the connection event's layout: add it to its list, at the end");
        }
        out.writeByte(place);
    }

    private static <E extends Enum<E>> E readPlace(List<E> constants, int present, int field, DataInputView in)
            throws IOException {
        if ((present & field) == 0) {
            return null;
        }
        int place = in.readUnsignedByte();
        if (place >= constants.size()) {
            throw new IOException("a constant at place " + place + ": not bytes this serializer wrote");
        }
        return constants.get(place);
    }

    @Override
    public TypeSerializerSnapshot<ConnectionEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Names the serializer only; events the POJO serializer wrote in a savepoint are written again in this one. */
    public static final class Snapshot extends PojoSuccessorSnapshot<ConnectionEvent> {
        public Snapshot() {
            super(ConnectionEventSerializer::new);
        }
    }
}
