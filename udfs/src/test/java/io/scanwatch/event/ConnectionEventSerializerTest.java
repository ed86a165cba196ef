package io.scanwatch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ConnectionEventSerializerTest {
    private static final ConnectionEventSerializer SERIALIZER = new ConnectionEventSerializer();

    /** Every field set, none to its default: a field the serializer forgets comes back different. */
    private static ConnectionEvent full() {
        ConnectionEvent event = new ConnectionEvent();
        event.timestamp = 1_700_000_000_123L;
        event.sourceIp = "203.0.113.77";
        event.sourcePort = 51_234;
        event.destinationIp = "2001:db8::17";
        event.destinationPort = 27_017;
        event.transport = Transport.UDP;
        event.outcome = Outcome.ABORTED;
        event.direction = Direction.EXTERNAL_INTERNAL;
        event.sourceBytes = 5_000_000_000L;
        event.destinationBytes = 0;
        event.sourcePackets = 3;
        event.destinationPackets = 1L << 40;
        event.format = "zeek-conn";
        event.sensor = "édge-sensör\u00a01";
        event.sensorState = "RSTO/ShAdR";
        event.tcpFlags = TcpFlags.SYN | TcpFlags.ACK;
        event.oneWay = true;
        return event;
    }

    private static byte[] write(ConnectionEvent event) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(event, out);
        return out.getCopyOfBuffer();
    }

    private static ConnectionEvent readBack(ConnectionEvent event) throws IOException {
        byte[] bytes = write(event);
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        ConnectionEvent read = SERIALIZER.deserialize(in);
        assertThat(in.available()).as("every byte written is read").isZero();
        assertThat(write(read)).as("written again, the same bytes").isEqualTo(bytes);
        return read;
    }

    @Test
    void flinkTakesItsOwnSerializerForConnectionEvents() {
        assertThat(TypeInformation.of(ConnectionEvent.class).createSerializer(new SerializerConfigImpl()))
                .isEqualTo(SERIALIZER);
    }

    @Test
    void anEventWithEveryFieldSetReadsBackFieldByField() throws Exception {
        ConnectionEvent full = full();
        ConnectionEvent empty = new ConnectionEvent();
        List<Field> fields = Arrays.stream(ConnectionEvent.class.getFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()))
                .toList();
        for (Field field : fields) {
            assertThat(field.get(full)).as("the test sets " + field.getName()).isNotEqualTo(field.get(empty));
        }

        assertThat(readBack(full)).usingRecursiveComparison().isEqualTo(full);
    }

    @Test
    void aCopyIsAnotherEventWithTheSameFields() {
        ConnectionEvent full = full();

        assertThat(SERIALIZER.copy(full))
                .isNotSameAs(full)
                .usingRecursiveComparison()
                .isEqualTo(full);
    }

    /**
     * One-way flows that waited for their reply in a savepoint were written by Flink's POJO serializer: the new
     * serializer takes them over after a migration, each read back the same.
     */
    @Test
    void eventsThePojoSerializerWroteMigrate() throws IOException {
        ConnectionEvent full = full();
        TypeSerializer<ConnectionEvent> before = pojoSerializer();
        DataOutputSerializer old = new DataOutputSerializer(128);
        before.serialize(full, old);
        DataOutputSerializer snapshot = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshot, before.snapshotConfiguration());
        TypeSerializerSnapshot<ConnectionEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshot.getCopyOfBuffer()),
                getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<ConnectionEvent> compatibility =
                SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored);
        ConnectionEvent read =
                restored.restoreSerializer().deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));

        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(readBack(read)).usingRecursiveComparison().isEqualTo(full);
    }

    /** The serializer of connection events before this one: Flink's POJO serializer of their public fields. */
    @SuppressWarnings("unchecked")
    private static TypeSerializer<ConnectionEvent> pojoSerializer() {
        List<PojoField> fields = Arrays.stream(ConnectionEvent.class.getFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()))
                .map(field -> new PojoField(field, TypeInformation.of(field.getType())))
                .toList();
        return new PojoTypeInfo<>(ConnectionEvent.class, fields).createSerializer(new SerializerConfigImpl());
    }

    @Test
    void unknownFieldsReadBackUnknown() throws IOException {
        ConnectionEvent unknown = new ConnectionEvent();

        assertThat(readBack(unknown)).usingRecursiveComparison().isEqualTo(unknown);
        assertThat(write(unknown))
                .as("flags, time, seven counters of a byte each")
                .hasSize(2 + 8 + 7);
    }

    @Test
    void everyConstantOfEveryEnumReadsBack() throws IOException {
        for (Transport transport : Transport.values()) {
            for (Outcome outcome : Outcome.values()) {
                for (Direction direction : Direction.values()) {
                    ConnectionEvent event = full();
                    event.transport = transport;
                    event.outcome = outcome;
                    event.direction = direction;

                    assertThat(readBack(event)).usingRecursiveComparison().isEqualTo(event);
                }
            }
        }
    }

    @Test
    void aProbeWithEveryFieldSetTakesUnderAHundredBytes() throws IOException {
        ConnectionEvent probe = full();
        probe.sensor = "conn.log";

        assertThat(write(probe)).hasSizeLessThan(100);
    }

    @Test
    void bytesThatNoEventWasWrittenAsFailAsInput() throws IOException {
        byte[] bytes = write(full());
        // The direction's place, the last byte: past the list.
        bytes[bytes.length - 1] = 9;

        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not bytes this serializer wrote");
    }
}
