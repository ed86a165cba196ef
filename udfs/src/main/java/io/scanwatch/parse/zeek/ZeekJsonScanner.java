package io.scanwatch.parse.zeek;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * Reads a JSON line as Zeek writes it, from its bytes, without a general JSON parser: one flat object (white space
 * allowed between its parts), names and strings of printable ASCII without escapes, numbers, {@code true},
 * {@code false} and {@code null}. It declines every other line (a nested {@code id}, an array, an escape, a byte outside ASCII, JSON
 * that is not well formed), and the caller reads that line's text with Jackson: what it does read, it reads as
 * Jackson reads the text, so it is only ever a faster way to the same values.
 */
final class ZeekJsonScanner {
    /** Past this, a name or number is left to Jackson, whose limits on them (50,000 and 1,000) then apply. */
    private static final int LONGEST_NAME = 256;

    /** A line that could hold a string longer than Jackson takes is left to Jackson, which refuses it. */
    private static final int LONGEST_LINE = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

    private static final int LONGEST_NUMBER = 64;
    private static final int TABLE_SIZE = 64;
    private static final byte[][] WORDS = {bytes("true"), bytes("false"), bytes("null")};

    private final ToIntFunction<String> slotOf;
    /** The names met so far and their slots, so that a name is matched as bytes, not made a string per record. */
    private final byte[][] names = new byte[TABLE_SIZE][];

    private final int[] slots = new int[TABLE_SIZE];
    private int named;

    /** @param slotOf the slot in the values array for a column name, or -1 for columns not wanted */
    ZeekJsonScanner(ToIntFunction<String> slotOf) {
        this.slotOf = slotOf;
    }

    /**
     * Fills {@code values} (cleared first; null means unset, as for a JSON {@code null}; a later duplicate name wins).
     *
     * @return whether the line was read; when not, {@code values} holds nothing of use
     */
    boolean read(byte[] line, int length, String[] values) {
        Arrays.fill(values, null);
        if (length < 2 || length > LONGEST_LINE || line[0] != '{') {
            return false;
        }
        int at = space(line, 1, length);
        if (at < length && line[at] == '}') {
            return space(line, at + 1, length) == length;
        }
        while (true) {
            if (at >= length || line[at] != '"') {
                return false;
            }
            int nameEnd = endOfString(line, at + 1, length);
            if (nameEnd < 0 || nameEnd - at - 1 > LONGEST_NAME) {
                return false;
            }
            int colon = space(line, nameEnd + 1, length);
            int valueStart = colon < length && line[colon] == ':' ? space(line, colon + 1, length) : length;
            if (valueStart >= length) {
                return false;
            }
            int slot = slot(line, at + 1, nameEnd);
            int next;
            String value;
            if (line[valueStart] == '"') {
                next = endOfString(line, valueStart + 1, length);
                if (next < 0) {
                    return false;
                }
                value = slot < 0 ? null : text(line, valueStart + 1, next);
                next++;
            } else {
                next = endOfNumber(line, valueStart, length);
                if (next < 0) {
                    next = endOfWord(line, valueStart, length);
                    if (next < 0) {
                        return false;
                    }
                }
                value = slot < 0 || line[valueStart] == 'n' ? null : text(line, valueStart, next);
            }
            next = space(line, next, length);
            if (next >= length) {
                return false;
            }
            if (value != null) {
                values[slot] = value;
            }
            byte separator = line[next];
            if (separator == '}') {
                return space(line, next + 1, length) == length;
            }
            if (separator != ',') {
                return false;
            }
            at = space(line, next + 1, length);
        }
    }

    /**
     * Past JSON's white space (space, tab, CR, LF): Zeek writes none, but a log rewritten by other tools may have
     * some; Python's {@code json.dumps}, for one, writes a space after every {@code :} and {@code ,}.
     */
    private static int space(byte[] line, int from, int length) {
        int i = from;
        // One comparison for the usual byte, which is no white space.
        while (i < length
                && line[i] <= ' '
                && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) {
            i++;
        }
        return i;
    }

    /** The closing quote's index, or -1 where the string holds what only Jackson should read, or does not end. */
    private static int endOfString(byte[] line, int from, int length) {
        for (int i = from; i < length; i++) {
            byte b = line[i];
            if (b == '"') {
                return i;
            }
            // Bytes past 127 are negative: with control characters and escapes, they are Jackson's to read.
            if (b < 0x20 || b == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /** Where a JSON number starting here ends, or -1 for none (JSON's grammar: no leading zeros, no bare dot). */
    private static int endOfNumber(byte[] line, int from, int length) {
        int i = from;
        if (i < length && line[i] == '-') {
            i++;
        }
        if (i >= length || !digit(line[i])) {
            return -1;
        }
        i = line[i] == '0' ? i + 1 : digits(line, i, length);
        if (i < length && line[i] == '.') {
            int fraction = i + 1;
            i = digits(line, fraction, length);
            if (i == fraction) {
                return -1;
            }
        }
        if (i < length && (line[i] == 'e' || line[i] == 'E')) {
            i++;
            if (i < length && (line[i] == '+' || line[i] == '-')) {
                i++;
            }
            int exponent = i;
            i = digits(line, exponent, length);
            if (i == exponent) {
                return -1;
            }
        }
        return i - from > LONGEST_NUMBER ? -1 : i;
    }

    private static int digits(byte[] line, int from, int length) {
        int i = from;
        while (i < length && digit(line[i])) {
            i++;
        }
        return i;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Where {@code true}, {@code false} or {@code null} starting here ends, or -1. */
    private static int endOfWord(byte[] line, int from, int length) {
        for (byte[] word : WORDS) {
            if (Arrays.equals(line, from, Math.min(from + word.length, length), word, 0, word.length)) {
                return from + word.length;
            }
        }
        return -1;
    }

    private int slot(byte[] line, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + line[i];
        }
        int mask = TABLE_SIZE - 1;
        for (int probe = hash & mask; names[probe] != null; probe = (probe + 1) & mask) {
            if (Arrays.equals(names[probe], 0, names[probe].length, line, from, to)) {
                return slots[probe];
            }
        }
        int slot = slotOf.applyAsInt(text(line, from, to));
        // Half full at most, so that a probe ends soon; a log with more names than that asks for the rest each time.
        if (named < TABLE_SIZE / 2) {
            int probe = hash & mask;
            while (names[probe] != null) {
                probe = (probe + 1) & mask;
            }
            names[probe] = Arrays.copyOfRange(line, from, to);
            slots[probe] = slot;
            named++;
        }
        return slot;
    }

    private static String text(byte[] line, int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }
}
