package io.scanwatch.sketch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link CappedCounts} in fewer bytes than Flink's POJO serializer, and reads it without reflection: keys of
 * ASCII a byte a character, counts and lengths as variable-length integers (most counts are 1, where the POJO serializer
 * writes a null flag and eight bytes), the map sized for its keys. An address of 13 characters with its count takes
 * 15 bytes against 23; a sketch takes its bytes either way. A slow tier's detection carries three sets of up to the
 * cap's keys across the network and, in a replay, through a sort; with RocksDB a pane is read and written at each
 * of its probes and read at each window that holds it (#11).
 *
 * <p>Layout: flags (saturated, sketched), hits, the sketch's length and bytes if sketched, then the number of keys
 * and each key and its count. The layout is frozen: checkpoints hold it under {@link Snapshot}'s name, which has no
 * version. A new layout needs a snapshot class of its own, whose compatibility check migrates from this one.
 */
public final class CappedCountsSerializer extends TypeSerializer<CappedCounts> {
    private static final long serialVersionUID = 1L;
    private static final int SATURATED = 1;
    private static final int SKETCHED = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<CappedCounts> duplicate() {
        return this;
    }

    @Override
    public CappedCounts createInstance() {
        return new CappedCounts();
    }

    @Override
    public CappedCounts copy(CappedCounts from) {
        return from.copy();
    }

    @Override
    public CappedCounts copy(CappedCounts from, CappedCounts reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CappedCounts set, DataOutputView out) throws IOException {
        out.writeByte((set.saturated ? SATURATED : 0) | (set.sketch != null ? SKETCHED : 0));
        writeVarLong(set.hits, out);
        if (set.sketch != null) {
            writeVarLong(set.sketch.length, out);
            out.write(set.sketch);
        }
        writeVarLong(set.counts.size(), out);
        for (Map.Entry<String, Long> entry : set.counts.entrySet()) {
            writeKey(entry.getKey(), out);
            writeVarLong(entry.getValue(), out);
        }
    }

    @Override
    public CappedCounts deserialize(DataInputView in) throws IOException {
        CappedCounts set = new CappedCounts();
        int flags = in.readUnsignedByte();
        set.saturated = (flags & SATURATED) != 0;
        set.hits = readVarLong(in);
        if ((flags & SKETCHED) != 0) {
            set.sketch = new byte[readLength(in)];
            in.readFully(set.sketch);
        }
        int size = readLength(in);
        set.counts = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
        for (int i = 0; i < size; i++) {
            set.counts.put(readKey(in), readVarLong(in));
        }
        return set;
    }

    @Override
    public CappedCounts deserialize(CappedCounts reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CappedCountsSerializer;
    }

    @Override
    public int hashCode() {
        return CappedCountsSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<CappedCounts> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * A key of ASCII characters (addresses, services, ports: nearly all) as one byte each, read back in one copy; any
     * other as UTF-16 chars, so that every string comes back as it was (UTF-8 would turn a lone surrogate into
     * {@code ?}, another key with another hash). The length's lowest bit says which.
     */
    private static void writeKey(String key, DataOutputView out) throws IOException {
        int length = key.length();
        for (int i = 0; i < length; i++) {
            if (key.charAt(i) >= 0x80) {
                writeVarLong(2L * length + 1, out);
                out.writeChars(key);
                return;
            }
        }
        writeVarLong(2L * length, out);
        // Not out.writeBytes: Flink's DataOutputSerializer moves its position twice there, leaving a gap.
        out.write(key.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readKey(DataInputView in) throws IOException {
        int tagged = readLength(in);
        int length = tagged >>> 1;
        if ((tagged & 1) == 0) {
            byte[] ascii = new byte[length];
            in.readFully(ascii);
            return new String(ascii, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = in.readChar();
        }
        return new String(chars);
    }

    /** Seven bits a byte, low first; counts and lengths are never negative. */
    private static void writeVarLong(long value, DataOutputView out) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readVarLong(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("a capped set's number runs past 64 bits: not a set this serializer wrote");
    }

    private static int readLength(DataInputView in) throws IOException {
        long length = readVarLong(in);
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IOException("a capped set's length of " + length + ": not a set this serializer wrote");
        }
        return (int) length;
    }

    /**
     * The layout has no parameters: a snapshot names the serializer only. State written before it, by Flink's POJO
     * serializer, is read with that serializer and written again with this one (a savepoint of state version 2
     * restores).
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CappedCounts> {
        public Snapshot() {
            super(CappedCountsSerializer::new);
        }

        @Override
        public TypeSerializerSchemaCompatibility<CappedCounts> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CappedCounts> old) {
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }
}
