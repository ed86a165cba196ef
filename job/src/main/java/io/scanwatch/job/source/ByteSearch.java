package io.scanwatch.job.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finding one byte value eight bytes at a time: the readers ask it of every byte of a replay (where a line ends,
 * whether one starts with {@code #}), and a byte-by-byte loop was 7 % of a reader's time.
 */
final class ByteSearch {
    private static final long EVERY_BYTE_ONE = 0x0101010101010101L;
    private static final long EVERY_BYTE_HIGH = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteSearch() {}

    /** The byte value in each of a word's eight bytes, as {@link #matches} takes it. */
    static long repeated(char value) {
        return (value & 0xFFL) * EVERY_BYTE_ONE;
    }

    /**
     * The high bit of each byte of {@code word} that holds the repeated value: none when no byte does. Exact up to
     * the lowest such byte; past it a borrow may mark others, so only the lowest mark says where.
     */
    static long matches(long word, long repeated) {
        long zeroWhereEqual = word ^ repeated;
        return (zeroWhereEqual - EVERY_BYTE_ONE) & ~zeroWhereEqual & EVERY_BYTE_HIGH;
    }

    /** @return the index of the first byte of that value from {@code from} to before {@code to}, else {@code to} */
    static int indexOf(byte[] bytes, int from, int to, long repeated) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = matches((long) LONGS.get(bytes, i), repeated);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        byte value = (byte) repeated;
        while (i < to && bytes[i] != value) {
            i++;
        }
        return i;
    }
}
