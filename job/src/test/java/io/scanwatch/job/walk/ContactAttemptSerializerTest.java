package io.scanwatch.job.walk;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.flink.api.common.typeutils.base.GenericArraySerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ContactAttemptSerializerTest {
    private static final SerializerConfigImpl CONFIG = new SerializerConfigImpl();

    private static ContactAttempt attempt(String destination, boolean success, boolean internal) {
        ContactAttempt attempt = new ContactAttempt();
        attempt.timestamp = 1_700_000_000_123L;
        attempt.sourceIp = "2001:db8::7";
        attempt.sourcePort = 51_234;
        attempt.destinationIp = destination;
        attempt.destinationPort = 22;
        attempt.success = success;
        attempt.destinationInternal = internal;
        return attempt;
    }

    private static <T> byte[] write(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private static <T> T read(TypeSerializer<T> serializer, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        T value = serializer.deserialize(in);
        assertThat(in.available()).as("every byte written is read").isZero();
        return value;
    }

    @Test
    void flinkTakesItsOwnSerializerForAttemptsOnTheWireAndInAWalksState() {
        assertThat(ContactAttempt.TYPE.createSerializer(CONFIG)).isEqualTo(new ContactAttemptSerializer());
        PojoTypeInfo<WalkState> walk = (PojoTypeInfo<WalkState>) TypeInformation.of(WalkState.class);
        TypeSerializer<?> waiting = walk.getTypeAt("waiting").createSerializer(CONFIG);

        assertThat(waiting).isInstanceOf(GenericArraySerializer.class);
        assertThat(((GenericArraySerializer<?>) waiting).getComponentSerializer())
                .isEqualTo(new ContactAttemptSerializer());
    }

    @Test
    void attemptsReadBackFieldByFieldWithOrWithoutTheirDestination() throws IOException {
        for (ContactAttempt attempt : new ContactAttempt[] {
            attempt("10.0.0.5", true, true), attempt(null, false, false), attempt("höst\u00a0ünknown", false, true)
        }) {
            byte[] bytes = write(ContactAttempt.TYPE.createSerializer(CONFIG), attempt);
            ContactAttempt read = read(new ContactAttemptSerializer(), bytes);

            assertThat(read).usingRecursiveComparison().isEqualTo(attempt);
            assertThat(new ContactAttemptSerializer().copy(attempt))
                    .isNotSameAs(attempt)
                    .usingRecursiveComparison()
                    .isEqualTo(attempt);
        }
    }

    @Test
    void anIpv4AttemptTakesItsFieldsBytesAndAFlagsByteFewerThanThePojoSerializerWrote() throws IOException {
        ContactAttempt attempt = attempt("192.168.100.200", false, true);
        attempt.sourceIp = "203.0.113.77";

        assertThat(write(new ContactAttemptSerializer(), attempt)).hasSize(1 + 8 + 13 + 4 + 16 + 4);
        assertThat(write(pojoSerializer(), attempt)).hasSize(55);
    }

    /**
     * A walk a savepoint holds with attempts waiting, written when Flink's POJO serializer wrote them: the new
     * serializer takes the state over after a migration, and the walk reads back the same.
     */
    @Test
    void aWalkWhoseAttemptsThePojoSerializerWroteMigrates() throws Exception {
        WalkState walk = new WalkState();
        walk.lastSeen = 1_700_000_000_000L;
        walk.waiting = new ContactAttempt[] {attempt("10.0.0.5", false, true), attempt(null, true, false)};
        PojoSerializer<WalkState> now =
                (PojoSerializer<WalkState>) TypeInformation.of(WalkState.class).createSerializer(CONFIG);
        PojoSerializer<WalkState> before = walkSerializerWithPojoAttempts();
        byte[] old = write(before, walk);

        TypeSerializerSnapshot<WalkState> restored = snapshotReadBack(before.snapshotConfiguration());
        TypeSerializerSchemaCompatibility<WalkState> compatibility =
                now.snapshotConfiguration().resolveSchemaCompatibility(restored);
        WalkState migrated = read(now, write(now, read(restored.restoreSerializer(), old)));

        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(migrated).usingRecursiveComparison().isEqualTo(walk);
    }

    /** The serializer of attempts before this one: Flink's POJO serializer of their public fields. */
    private static PojoSerializer<ContactAttempt> pojoSerializer() {
        List<PojoField> fields = Arrays.stream(ContactAttempt.class.getFields())
                .filter(field -> !Modifier.isStatic(field.getModifiers()))
                .map(field -> new PojoField(field, TypeInformation.of(field.getType())))
                .toList();
        return (PojoSerializer<ContactAttempt>)
                new PojoTypeInfo<>(ContactAttempt.class, fields).createSerializer(CONFIG);
    }

    /** A walk's serializer as it was: the same fields, its waiting attempts written by the POJO serializer. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static PojoSerializer<WalkState> walkSerializerWithPojoAttempts() {
        PojoTypeInfo<WalkState> walk = (PojoTypeInfo<WalkState>) TypeInformation.of(WalkState.class);
        Field[] fields = new Field[walk.getArity()];
        TypeSerializer<?>[] serializers = new TypeSerializer<?>[walk.getArity()];
        for (int i = 0; i < walk.getArity(); i++) {
            fields[i] = walk.getPojoFieldAt(i).getField();
            serializers[i] = fields[i].getName().equals("waiting")
                    ? new GenericArraySerializer(ContactAttempt.class, pojoSerializer())
                    : walk.getTypeAt(i).createSerializer(CONFIG);
        }
        return new PojoSerializer<>(WalkState.class, serializers, fields, CONFIG);
    }

    private static <T> TypeSerializerSnapshot<T> snapshotReadBack(TypeSerializerSnapshot<T> snapshot)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), ContactAttemptSerializerTest.class.getClassLoader());
    }
}
