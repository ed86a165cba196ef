package io.scanwatch.job.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a file of JSON lines holds no line starting with {@code #}: Zeek writes a TSV header so, and a log that
 * turns to TSV part-way (logs appended to one another) needs that header read before its rows, by one reader.
 *
 * <p>The whole file is searched before the job starts, on the thread that starts it: a replay of a large file waits
 * for the search first. It reads regions of the file on every core, each through a buffer of its own at positions of
 * its own. Read by one thread through a buffer, a 1.7 GB file took 1.5-2.0 s; mapped instead, in regions on every
 * core, 0.36-0.51 s on one machine but 0.83-0.95 s on a slower one, whose every first touch of a mapped page (4 KB)
 * costs a fault, on each search again; read there in regions of positional reads of a megabyte, 0.31-0.46 s.
 * Measured with the file in the page cache, as a replay's input written or read shortly before is; a cold file on a
 * spinning disk, read as several regions at once, was not. The file is then in the page cache for the readers.
 */
final class HeaderLineSearch {
    /** A region is searched as one task. */
    private static final long REGION_BYTES = 64L << 20;

    /** Read at a time into the heap, where {@link ByteSearch} reads eight bytes at once. */
    private static final int READ_BYTES = 1 << 20;

    private static final long HASHES = ByteSearch.repeated('#');

    private static final Logger LOG = LoggerFactory.getLogger(HeaderLineSearch.class);

    private HeaderLineSearch() {}

    /** Whether the file starts with a JSON object and no line of it starts with {@code #}. */
    static boolean jsonLinesOnly(Path file) throws IOException {
        return jsonLinesOnly(file, REGION_BYTES, READ_BYTES);
    }

    static boolean jsonLinesOnly(Path file, long regionBytes, int readBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer first = ByteBuffer.allocate(1);
            if (channel.read(first, 0) != 1 || first.get(0) != '{') {
                return false;
            }
            long regions = (size + regionBytes - 1) / regionBytes;
            return LongStream.range(0, regions)
                    .parallel()
                    .noneMatch(r ->
                            headerLineIn(channel, r * regionBytes, Math.min(size, (r + 1) * regionBytes), readBytes));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof EOFException shrank) {
                LOG.warn("{} changed while it was searched for a TSV header; it is read by one reader", file, shrank);
                return false;
            }
            throw e.getCause();
        }
    }

    /** Whether a line starts with {@code #} from {@code from} to before {@code to}. */
    private static boolean headerLineIn(FileChannel channel, long from, long to, int readBytes) {
        try {
            byte[] bytes = new byte[readBytes + 1];
            // The byte before the region, if any, says whether its first byte starts a line.
            if (from > 0) {
                readFully(channel, ByteBuffer.wrap(bytes, 0, 1), from - 1);
            }
            for (long position = from; position < to; ) {
                int n = (int) Math.min(readBytes, to - position);
                readFully(channel, ByteBuffer.wrap(bytes, 1, n), position);
                for (int i = ByteSearch.indexOf(bytes, 1, n + 1, HASHES);
                        i <= n;
                        i = ByteSearch.indexOf(bytes, i + 1, n + 1, HASHES)) {
                    if (bytes[i - 1] == '\n') {
                        return true;
                    }
                }
                bytes[0] = bytes[n];
                position += n;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the buffer from {@code position}; a file that ends before it has shrunk since its size was read. */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new EOFException("the file ended at byte " + position);
            }
            position += read;
        }
    }
}
