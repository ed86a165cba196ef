package io.scanwatch.sketch;

import java.util.Arrays;
import org.apache.datasketches.filters.bloomfilter.BloomFilter;
import org.apache.datasketches.filters.bloomfilter.BloomFilterBuilder;
import org.apache.datasketches.memory.WritableMemory;

/**
 * Whether a key was seen before: exact for the first {@code cap} keys (their 64-bit hashes, sorted), then an
 * Apache DataSketches Bloom filter sized for {@link #BLOOM_KEYS} keys at 1 % false positives, kept as its byte
 * image. A false positive only makes a new key look seen; memory stays bounded whatever the source does. Public
 * fields, so Flink keeps it as a POJO.
 */
public class SeenBefore {
    /** Keys the filter is sized for: about 12 KB. */
    static final long BLOOM_KEYS = 10_000;

    private static final double FALSE_POSITIVES = 0.01;
    private static final long SEED = 0x5EE_B4F0L;

    public long[] hashes = new long[0];
    public byte[] bloom;

    public SeenBefore() {}

    /** Adds the key; @return true when it was not seen before */
    public boolean add(String key, int cap) {
        long hash = DistinctSketch.hash(key);
        if (bloom != null) {
            return !filter().queryAndUpdate(hash);
        }
        int at = Arrays.binarySearch(hashes, hash);
        if (at >= 0) {
            return false;
        }
        if (hashes.length < cap) {
            int insert = -at - 1;
            long[] grown = new long[hashes.length + 1];
            System.arraycopy(hashes, 0, grown, 0, insert);
            grown[insert] = hash;
            System.arraycopy(hashes, insert, grown, insert + 1, hashes.length - insert);
            hashes = grown;
            return true;
        }
        bloom = new byte[(int) BloomFilterBuilder.getSerializedFilterSizeByAccuracy(BLOOM_KEYS, FALSE_POSITIVES)];
        BloomFilter filter = BloomFilterBuilder.initializeByAccuracy(
                BLOOM_KEYS, FALSE_POSITIVES, SEED, WritableMemory.writableWrap(bloom));
        for (long seen : hashes) {
            filter.update(seen);
        }
        filter.update(hash);
        hashes = new long[0];
        return true;
    }

    private BloomFilter filter() {
        return BloomFilter.writableWrap(WritableMemory.writableWrap(bloom));
    }
}
