package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {
    /** Around the value sought, and the bytes whose borrow or high bit could fool a word-wide test. */
    private static final byte[] NEIGHBOURS = {0x09, 0x0B, (byte) 0x8A, 0x00, 0x01, (byte) 0xFF, (byte) 0x80, '#'};

    @Test
    void findsTheFirstNewlineWhereverItIs() {
        Random random = new Random(11);
        long newlines = ByteSearch.repeated('\n');
        for (int length = 0; length <= 40; length++) {
            for (int round = 0; round < 200; round++) {
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    bytes[i] = random.nextInt(4) == 0 ? (byte) '\n' : NEIGHBOURS[random.nextInt(NEIGHBOURS.length)];
                }
                int from = length == 0 ? 0 : random.nextInt(length + 1);
                int to = from + random.nextInt(length - from + 1);
                assertThat(ByteSearch.indexOf(bytes, from, to, newlines))
                        .as("%d to %d", from, to)
                        .isEqualTo(firstNewline(bytes, from, to));
            }
        }
    }

    @Test
    void aWordMatchesWhenOneOfItsBytesHoldsTheValue() {
        long hashes = ByteSearch.repeated('#');
        for (byte other : NEIGHBOURS) {
            if (other == '#') {
                continue;
            }
            long none = ByteSearch.repeated((char) (other & 0xFF));
            assertThat(ByteSearch.matches(none, hashes)).as("all %02x", other).isZero();
            for (int at = 0; at < Long.BYTES; at++) {
                long one = none & ~(0xFFL << (8 * at)) | ((long) '#' << (8 * at));
                assertThat(ByteSearch.matches(one, hashes))
                        .as("%02x, '#' at %d", other, at)
                        .isNotZero();
            }
        }
    }

    private static int firstNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return to;
    }
}
