package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CappedCountsSerializerTest {
    private static final int CAP = 8;

    private static CappedCounts of(List<String> keys) {
        CappedCounts set = new CappedCounts();
        keys.forEach(key -> set.add(key, 1, CAP));
        return set;
    }

    private static List<String> hosts(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> "10.0." + (i >> 8) + "." + (i & 255))
                .toList();
    }

    private static byte[] write(TypeSerializer<CappedCounts> serializer, CappedCounts set) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(set, out);
        return out.getCopyOfBuffer();
    }

    private static CappedCounts readBack(CappedCounts set) throws IOException {
        TypeSerializer<CappedCounts> serializer =
                TypeInformation.of(CappedCounts.class).createSerializer(new SerializerConfigImpl());
        byte[] bytes = write(serializer, set);
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        CappedCounts read = serializer.deserialize(in);
        assertThat(in.available()).as("every byte written is read").isZero();
        assertThat(write(serializer, read)).as("written again, the same bytes").isEqualTo(bytes);
        return read;
    }

    @Test
    void flinkTakesItsOwnSerializerForTheSets() {
        assertThat(TypeInformation.of(CappedCounts.class).createSerializer(new SerializerConfigImpl()))
                .isEqualTo(new CappedCountsSerializer());
    }

    @Test
    void aSetBelowTheCapReadsBackWithItsKeysCountsAndHits() throws IOException {
        CappedCounts set = of(List.of("10.0.0.1", "10.0.0.2"));
        set.add("10.0.0.1", 1L << 40, CAP);
        set.add("jöhn\u00a0dœ 管理员", 3, CAP);

        CappedCounts read = readBack(set);

        assertThat(read.counts).isEqualTo(set.counts);
        assertThat(read.hits).isEqualTo(set.hits);
        assertThat(read.saturated).isFalse();
        assertThat(read.sketch).isNull();
    }

    @Test
    void aSetKeepingSharesReadsBackWithItsHeavyHittersBeforeAndPastTheCap() throws IOException {
        CappedCounts set = CappedCounts.keepingShares();
        set.add("10.0.0.1:5432", 20, CAP);
        CappedCounts below = readBack(set);
        hosts(0, 30).forEach(host -> set.add(host, 1, CAP));
        CappedCounts past = readBack(set);

        assertThat(below.busiestShare(20)).isEqualTo(1.0);
        assertThat(past.estimated()).isTrue();
        assertThat(past.busiestShare(50)).isEqualTo(set.busiestShare(50)).isGreaterThan(0.2);
        past.add("10.0.0.1:5432", 50, CAP);
        set.add("10.0.0.1:5432", 50, CAP);
        assertThat(past.busiestShare(100)).isEqualTo(set.busiestShare(100));
        assertThat(readBack(new CappedCounts()).busiestShare(1))
                .as("a set keeping none")
                .isZero();
    }

    @Test
    void aSaturatedSetReadsBackWithItsSketchAndGoesOnAsTheOriginalWould() throws IOException {
        CappedCounts set = of(hosts(0, 300));
        set.compact();

        CappedCounts read = readBack(set);

        assertThat(read.counts).isEqualTo(set.counts);
        assertThat(read.saturated).isTrue();
        assertThat(read.sketch).isEqualTo(set.sketch);
        assertThat(read.distinctBounds()).containsExactly(set.distinctBounds());
        // The hash tree and the highest key are not written: a set read back finds them again.
        hosts(200, 900).forEach(key -> {
            set.add(key, 1, CAP);
            read.add(key, 1, CAP);
        });
        assertThat(read.counts).isEqualTo(set.counts);
        assertThat(read.distinct()).isEqualTo(set.distinct());
    }

    @Test
    void aSetThatTookInALowerBoundReadsBackAsOne() throws IOException {
        CappedCounts share = of(hosts(0, 4));
        share.saturated = true;
        CappedCounts episode = of(hosts(100, 300));
        episode.maxAll(share, CAP);

        CappedCounts read = readBack(episode);

        assertThat(read.lowerBound()).isTrue();
        assertThat(read.estimated()).isFalse();
        assertThat(readBack(of(hosts(100, 300))).lowerBound()).isFalse();
    }

    @Test
    void anAddressAndItsCountTakeFifteenBytes() throws IOException {
        CappedCounts one = of(List.of("10.200.130.25"));

        // flags, hits, the number of keys, then the key (its length and 13 characters) and its count
        assertThat(write(new CappedCountsSerializer(), one)).hasSize(3 + 15);
    }

    @Test
    void keysOfAnyLengthAndAnyCharactersComeBackAsTheyWere() throws IOException {
        CappedCounts set = new CappedCounts();
        set.add("x".repeat(300), 1, CAP);
        set.add("a", 2, CAP);
        // A lone surrogate: UTF-8 would write it as '?', another key with another hash.
        set.add("user\uD800", 3, CAP);
        set.add("user?", 4, CAP);

        CappedCounts read = readBack(set);

        assertThat(read.counts).isEqualTo(set.counts);
    }

    @Test
    void bytesCopiedFromOneViewToAnotherReadAsTheSet() throws IOException {
        CappedCounts set = of(hosts(0, 300));
        CappedCountsSerializer serializer = new CappedCountsSerializer();
        DataOutputSerializer copied = new DataOutputSerializer(64);

        serializer.copy(new DataInputDeserializer(write(serializer, set)), copied);

        CappedCounts read = serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()));
        assertThat(read.counts).isEqualTo(set.counts);
        assertThat(read.sketch).isEqualTo(set.sketch);
    }

    @Test
    void itsSnapshotReadBackRestoresItAndTakesItAsIs() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, new CappedCountsSerializer().snapshotConfiguration());

        TypeSerializerSnapshot<CappedCounts> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isEqualTo(new CappedCountsSerializer());
        assertThat(new CappedCountsSerializer.SharesSnapshot()
                        .resolveSchemaCompatibility(read)
                        .isCompatibleAsIs())
                .isTrue();
    }

    /**
     * A checkpoint of the layout before the shares' flags restores, migrated. Checkpoints of this layout name a class
     * that a build of the earlier one does not have, so that it refuses them rather than misread them.
     */
    @Test
    void theLayoutBeforeTheSharesMigrates() {
        assertThat(new CappedCountsSerializer.SharesSnapshot()
                        .resolveSchemaCompatibility(new CappedCountsSerializer.Snapshot())
                        .isCompatibleAfterMigration())
                .isTrue();
        assertThat(new CappedCountsSerializer().snapshotConfiguration())
                .isInstanceOf(CappedCountsSerializer.SharesSnapshot.class);
    }

    @Test
    void bytesThatNoSetWasWrittenAsFailAsInput() {
        byte[] endless = new byte[64];
        Arrays.fill(endless, (byte) 0xFF);
        // sketched, no hits, a sketch of 2^40 bytes
        byte[] huge = {2, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};

        for (byte[] bytes : List.of(endless, huge)) {
            assertThatThrownBy(() -> new CappedCountsSerializer().deserialize(new DataInputDeserializer(bytes)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("not bytes this serializer wrote");
        }
    }

    /**
     * The layout savepoints hold, byte for byte: flags, hits, the number of keys, each key's tagged length, its
     * characters and its count. A refactoring that moves a byte fails here before it fails a restore.
     */
    @Test
    void aSetIsWrittenInItsFrozenLayout() throws IOException {
        CappedCounts set = of(List.of("10.0.0.1"));
        set.add("10.0.0.1", 299, CAP);

        assertThat(write(new CappedCountsSerializer(), set))
                .containsExactly(0, 0xAC, 0x02, 1, 16, '1', '0', '.', '0', '.', '0', '.', '1', 0xAC, 0x02);
    }

    @Test
    void anEmptySetReadsBackEmpty() throws IOException {
        CappedCounts read = readBack(new CappedCounts());

        assertThat(read.counts).isEmpty();
        assertThat(read.hits).isZero();
        assertThat(read.estimated()).isFalse();
    }
}
