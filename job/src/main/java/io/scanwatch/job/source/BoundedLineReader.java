package io.scanwatch.job.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines ({@code \n} or {@code \r\n}) without ever holding more than {@code maxBytes} of one line: a
 * corrupt file with no newline for gigabytes must become one dead letter, not an out-of-memory error. Bytes that
 * are not UTF-8 become replacement characters. Public for the bench, whose parse-only rate reads lines as the job does.
 */
public final class BoundedLineReader {
    /** The longest telemetry line the job takes: a longer one is a dead letter. */
    public static final int TELEMETRY_LINE_BYTES = TelemetryLineFormat.MAX_LINE_BYTES;

    private static final long NEWLINES = ByteSearch.repeated('\n');
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private byte[] line = new byte[1024];
    private int lineLength;
    private int position;
    private int limit;
    private boolean truncated;
    private boolean byteOrderMarkPending;
    /** Bytes taken from the stream so far. */
    private long taken;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** A reader of telemetry lines, bounded as the job's file readers bound them. */
    public static BoundedLineReader ofTelemetry(InputStream in) {
        return new BoundedLineReader(in, TELEMETRY_LINE_BYTES);
    }

    /**
     * Skips a UTF-8 byte order mark at the start of the stream, as Windows tools write one (PowerShell, Notepad):
     * left in, it would make the first line unreadable to every format. Looked for by the first {@link #next()}, so
     * that a stream that cannot be read fails where its lines are read.
     */
    void skipByteOrderMark() {
        byteOrderMarkPending = true;
    }

    private void readByteOrderMark() throws IOException {
        while (limit < BYTE_ORDER_MARK.length) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read <= 0) {
                break;
            }
            limit += read;
            taken += read;
        }
        if (limit >= BYTE_ORDER_MARK.length
                && java.util.Arrays.equals(
                        buffer, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length)) {
            position = BYTE_ORDER_MARK.length;
        }
    }

    /** @return the next line, or null at the end of the stream. */
    String readLine() throws IOException {
        return next() ? text() : null;
    }

    /**
     * Reads the next line, whose bytes are then {@link #bytes()} up to {@link #length()} until the next call.
     *
     * @return false at the end of the stream
     */
    public boolean next() throws IOException {
        if (byteOrderMarkPending) {
            byteOrderMarkPending = false;
            readByteOrderMark();
        }
        lineLength = 0;
        truncated = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                taken += Math.max(limit, 0);
                if (limit <= 0) {
                    limit = 0;
                    return any;
                }
            }
            any = true;
            int start = position;
            position = ByteSearch.indexOf(buffer, position, limit, NEWLINES);
            append(start, position - start);
            if (position < limit) {
                position++;
                return true;
            }
        }
    }

    /** The last line's bytes, in UTF-8, from 0 to {@link #length()}; overwritten by the next. */
    public byte[] bytes() {
        return line;
    }

    /** The last line's length in bytes, without the {@code \r} of a {@code \r\n}. */
    public int length() {
        return lineLength > 0 && line[lineLength - 1] == '\r' && !truncated ? lineLength - 1 : lineLength;
    }

    /** Whether the last line holds a {@code \r} other than the one of a {@code \r\n}. */
    boolean carriageReturnInside() {
        for (int i = 0, end = length(); i < end; i++) {
            if (line[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    /** The last line as text. */
    String text() {
        return new String(line, 0, length(), StandardCharsets.UTF_8);
    }

    /** Bytes consumed by the lines returned so far: where the next line starts, from where reading began. */
    long consumed() {
        return taken - (limit - position);
    }

    /** Whether the last line returned was cut at the byte limit. */
    public boolean lastLineTruncated() {
        return truncated;
    }

    private void append(int from, int length) {
        int room = maxBytes - lineLength;
        if (length > room) {
            truncated = true;
            length = Math.max(room, 0);
        }
        if (lineLength + length > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(buffer, from, line, lineLength, length);
        lineLength += length;
    }
}
