package io.scanwatch.serial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Field encodings in few bytes: counts and lengths as variable-length integers (most are small, where Flink writes
 * eight bytes), and text of ASCII characters (addresses, services, ports: nearly all) a byte a character, read back
 * in one copy. Bytes that break them fail as input ({@link IOException}) where they show it: a number past 64 bits,
 * a length past an int. A corrupt length within an int is taken as it is.
 */
public final class CompactFields {
    private CompactFields() {}

    /**
     * Text of any other characters as UTF-16 chars, so that every string comes back as it was (UTF-8 would turn a lone
     * surrogate into {@code ?}, another key with another hash). The length's lowest bit says which. Never null: a
     * field that may be null says so in flags of its own.
     */
    public static void writeText(String text, DataOutputView out) throws IOException {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                writeVarLong(2L * length + 1, out);
                out.writeChars(text);
                return;
            }
        }
        writeVarLong(2L * length, out);
        // Not out.writeBytes: Flink's DataOutputSerializer moves its position twice there, leaving a gap.
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String readText(DataInputView in) throws IOException {
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

    /** Seven bits a byte, low first; for numbers never negative. */
    public static void writeVarLong(long value, DataOutputView out) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    public static long readVarLong(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("a number runs past 64 bits: not bytes this serializer wrote");
    }

    /** A length, or any count that sizes an array. */
    public static int readLength(DataInputView in) throws IOException {
        long length = readVarLong(in);
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IOException("a length of " + length + ": not bytes this serializer wrote");
        }
        return (int) length;
    }
}
