package io.scanwatch.job.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
 * for the search first. Read through a buffer, a 1.7 GB file took 1.5-2.0 s (3.4 s the first time in a JVM), most
 * of it the kernel copying each megabyte into the buffer: the same search over a mapping took 0.6-0.85 s on one
 * core. Copied from the mapping in blocks that the search reads eight bytes at a time, and searched on every core,
 * it takes 0.36-0.51 s on two (0.5 s the first time). Measured with the file in the page cache, as a replay's input
 * written or read shortly before is; a cold file on a spinning disk, read as several regions at once, was not. The
 * file is then in the page cache for the readers.
 */
final class HeaderLineSearch {
    /** A region is mapped and searched as one task. */
    private static final long REGION_BYTES = 64L << 20;

    /** Copied from the mapping to the heap at a time, where {@link ByteSearch} reads eight bytes at once. */
    private static final int COPY_BYTES = 64 << 10;

    private static final long HASHES = ByteSearch.repeated('#');

    private static final Logger LOG = LoggerFactory.getLogger(HeaderLineSearch.class);

    private HeaderLineSearch() {}

    /** Whether the file starts with a JSON object and no line of it starts with {@code #}. */
    static boolean jsonLinesOnly(Path file) throws IOException {
        return jsonLinesOnly(file, REGION_BYTES, COPY_BYTES);
    }

    static boolean jsonLinesOnly(Path file, long regionBytes, int copyBytes) throws IOException {
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
                            headerLineIn(channel, r * regionBytes, Math.min(size, (r + 1) * regionBytes), copyBytes));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InternalError e) {
            // What reading a mapping past the end of a file that shrank meanwhile throws: read it whole, as it is.
            LOG.warn("{} changed while it was searched for a TSV header; it is read by one reader", file, e);
            return false;
        }
    }

    /** Whether a line starts with {@code #} from {@code from} to before {@code to}. */
    private static boolean headerLineIn(FileChannel channel, long from, long to, int copyBytes) {
        try {
            // The byte before the region, if any, says whether its first byte starts a line.
            long start = Math.max(0, from - 1);
            MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_ONLY, start, to - start);
            byte[] bytes = new byte[copyBytes + 1];
            bytes[0] = from == 0 ? 0 : region.get();
            while (region.hasRemaining()) {
                int n = Math.min(copyBytes, region.remaining());
                region.get(bytes, 1, n);
                for (int i = ByteSearch.indexOf(bytes, 1, n + 1, HASHES);
                        i <= n;
                        i = ByteSearch.indexOf(bytes, i + 1, n + 1, HASHES)) {
                    if (bytes[i - 1] == '\n') {
                        return true;
                    }
                }
                bytes[0] = bytes[n];
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
