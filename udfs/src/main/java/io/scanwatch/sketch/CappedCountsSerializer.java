package io.scanwatch.sketch;

import static io.scanwatch.serial.CompactFields.readLength;
import static io.scanwatch.serial.CompactFields.readText;
import static io.scanwatch.serial.CompactFields.readVarLong;
import static io.scanwatch.serial.CompactFields.writeText;
import static io.scanwatch.serial.CompactFields.writeVarLong;

import io.scanwatch.serial.LayoutSerializer;
import io.scanwatch.serial.PojoSuccessorSnapshot;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
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
 * <p>Layout: flags (saturated, sketched, keeping shares, with heavy hitters, partial), hits, the sketch's length and
 * bytes if sketched, then the number of keys and each key and its count, then the heavy hitters' number and each key
 * and its count if any. Checkpoints name the layout by its snapshot class, which has no version: {@link SharesSnapshot} for
 * this one, {@link Snapshot} for the one before the last two flags, whose sets read as sets that keep no shares and
 * are migrated on a restore. A build before them cannot load the newer class, and so refuses a checkpoint of this
 * layout rather than misread it. A new layout needs a snapshot class of its own, whose compatibility check migrates
 * from these. The partial flag is no new layout: no earlier build set its bit, and one that reads a checkpoint of this
 * build ignores it and tells the set's count as exact or estimated, as it did before the flag.
 */
public final class CappedCountsSerializer extends LayoutSerializer<CappedCounts> {
    private static final long serialVersionUID = 1L;
    private static final int SATURATED = 1;
    private static final int SKETCHED = 2;
    private static final int SHARES_KEPT = 4;
    private static final int HEAVY = 8;
    private static final int PARTIAL = 16;

    @Override
    public CappedCounts createInstance() {
        return new CappedCounts();
    }

    @Override
    public CappedCounts copy(CappedCounts from) {
        return from.copy();
    }

    @Override
    public void serialize(CappedCounts set, DataOutputView out) throws IOException {
        out.writeByte((set.saturated ? SATURATED : 0)
                | (set.sketch != null ? SKETCHED : 0)
                | (set.sharesKept ? SHARES_KEPT : 0)
                | (set.heavy != null ? HEAVY : 0)
                | (set.partial ? PARTIAL : 0));
        writeVarLong(set.hits, out);
        if (set.sketch != null) {
            writeVarLong(set.sketch.length, out);
            out.write(set.sketch);
        }
        writeVarLong(set.counts.size(), out);
        for (Map.Entry<String, Long> entry : set.counts.entrySet()) {
            writeText(entry.getKey(), out);
            writeVarLong(entry.getValue(), out);
        }
        if (set.heavy != null) {
            set.heavy.write(out);
        }
    }

    @Override
    public CappedCounts deserialize(DataInputView in) throws IOException {
        CappedCounts set = new CappedCounts();
        int flags = in.readUnsignedByte();
        set.saturated = (flags & SATURATED) != 0;
        set.partial = (flags & PARTIAL) != 0;
        set.hits = readVarLong(in);
        if ((flags & SKETCHED) != 0) {
            set.sketch = new byte[readLength(in)];
            in.readFully(set.sketch);
        }
        int size = readLength(in);
        set.counts = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
        for (int i = 0; i < size; i++) {
            set.counts.put(readText(in), readVarLong(in));
        }
        set.sharesKept = (flags & SHARES_KEPT) != 0;
        if ((flags & HEAVY) != 0) {
            set.heavy = HeavyHitters.read(in);
        }
        return set;
    }

    @Override
    public TypeSerializerSnapshot<CappedCounts> snapshotConfiguration() {
        return new SharesSnapshot();
    }

    /**
     * The layout has no parameters: a snapshot names the serializer only. State written before it, by Flink's POJO
     * serializer (a savepoint of state version 2), or in the layout before the shares' flags, is read with that one's
     * serializer and written again with this one.
     */
    public static final class SharesSnapshot extends PojoSuccessorSnapshot<CappedCounts> {
        public SharesSnapshot() {
            super(CappedCountsSerializer::new, Snapshot.class);
        }
    }

    /** The layout before the shares' flags, as checkpoints of that time name it; this serializer reads it. */
    public static final class Snapshot extends PojoSuccessorSnapshot<CappedCounts> {
        public Snapshot() {
            super(CappedCountsSerializer::new);
        }
    }
}
