package io.scanwatch.job.walk;

import static io.scanwatch.serial.CompactFields.readText;
import static io.scanwatch.serial.CompactFields.writeText;

import io.scanwatch.serial.LayoutSerializer;
import io.scanwatch.serial.PojoSuccessorSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link ContactAttempt} without reflection, its addresses a byte a character. Every TCP attempt of every
 * source crosses the network to the walk, and in a replay goes through a sort by source: Flink's POJO serializer
 * spent about as much on each as the walk did (instantiation by reflection, a null flag per field, addresses a
 * character at a time), on both sides of the wire (#11).
 *
 * <p>Layout: flags (success, internal destination, destination known), the time, the source and its port, the
 * destination (if known) and its port. Frozen once in state (a walk's waiting attempts): a new layout needs a
 * snapshot class of its own.
 */
public final class ContactAttemptSerializer extends LayoutSerializer<ContactAttempt> {
    private static final long serialVersionUID = 1L;
    private static final int SUCCESS = 1;
    private static final int INTERNAL = 2;
    private static final int DESTINATION = 4;

    @Override
    public ContactAttempt createInstance() {
        return new ContactAttempt();
    }

    @Override
    public ContactAttempt copy(ContactAttempt from) {
        return from.copy();
    }

    @Override
    public void serialize(ContactAttempt attempt, DataOutputView out) throws IOException {
        out.writeByte((attempt.success ? SUCCESS : 0)
                | (attempt.destinationInternal ? INTERNAL : 0)
                | (attempt.destinationIp != null ? DESTINATION : 0));
        out.writeLong(attempt.timestamp);
        // The source is the walk's key: never null.
        writeText(attempt.sourceIp, out);
        out.writeInt(attempt.sourcePort);
        if (attempt.destinationIp != null) {
            writeText(attempt.destinationIp, out);
        }
        out.writeInt(attempt.destinationPort);
    }

    @Override
    public ContactAttempt deserialize(DataInputView in) throws IOException {
        ContactAttempt attempt = new ContactAttempt();
        int flags = in.readUnsignedByte();
        attempt.success = (flags & SUCCESS) != 0;
        attempt.destinationInternal = (flags & INTERNAL) != 0;
        attempt.timestamp = in.readLong();
        attempt.sourceIp = readText(in);
        attempt.sourcePort = in.readInt();
        attempt.destinationIp = (flags & DESTINATION) != 0 ? readText(in) : null;
        attempt.destinationPort = in.readInt();
        return attempt;
    }

    @Override
    public TypeSerializerSnapshot<ContactAttempt> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Names the serializer only; attempts a POJO serializer left waiting in a savepoint are written again in this one. */
    public static final class Snapshot extends PojoSuccessorSnapshot<ContactAttempt> {
        public Snapshot() {
            super(ContactAttemptSerializer::new);
        }
    }
}
