package io.scanwatch.parse.zeek;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.json.FlatJson;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.ToIntFunction;

/**
 * Reads the columns a parser wants from any Zeek log, in either of Zeek's encodings: JSON lines
 * ({@code LogAscii::use_json}, flat {@code id.orig_h} or a nested {@code id} object) or TSV whose {@code #fields}
 * header names the columns. The encoding is decided per line, so one stream may switch.
 */
final class ZeekLogReader {
    private static final JsonFactory JSON = new JsonFactory();

    private final ToIntFunction<String> slotOf;
    private final ZeekTsvLayout tsv;

    /** @param slotOf the slot in the values array for a column name, or -1 for columns not wanted */
    ZeekLogReader(ToIntFunction<String> slotOf) {
        this.slotOf = slotOf;
        this.tsv = new ZeekTsvLayout(slotOf);
    }

    static boolean isHeader(String line) {
        return line.charAt(0) == '#';
    }

    ParsedLine header(String line) {
        return tsv.readHeader(line);
    }

    /** Fills {@code values} (cleared first; null means unset). @return null when read, else what is wrong */
    String read(String line, String[] values) {
        java.util.Arrays.fill(values, null);
        char first = line.charAt(0);
        return first == '{' || first == '[' ? readJson(line, values) : tsv.readRow(line, values);
    }

    /**
     * Fills {@code values} from a JSON line in UTF-8, as {@link #read(String, String[])} would from its text: Jackson
     * reads bytes faster than characters, and the line need not be decoded first. Only a line of plain ASCII (no NUL)
     * is read so, which is what Zeek writes (it escapes other bytes as {@code \xNN}): Jackson's byte parser takes
     * overlong UTF-8 forms that decoding refuses, and reads a line with NULs as UTF-16 or UTF-32.
     *
     * @return null when read, else why not (the caller then reads its text)
     */
    String readJson(byte[] utf8, int length, String[] values) {
        if (!plainAscii(utf8, length)) {
            return "not plain ASCII";
        }
        java.util.Arrays.fill(values, null);
        try (JsonParser parser = JSON.createParser(utf8, 0, length)) {
            return readJson(parser, values);
        } catch (IOException e) {
            return FlatJson.malformed(e);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EVERY_BYTE_ONE = 0x0101010101010101L;
    private static final long EVERY_BYTE_HIGH = 0x8080808080808080L;

    /** Whether every byte is 1 to 127; eight at a time, as it is asked of every line. */
    static boolean plainAscii(byte[] bytes, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            if ((word & EVERY_BYTE_HIGH) != 0 || ((word - EVERY_BYTE_ONE) & ~word & EVERY_BYTE_HIGH) != 0) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (bytes[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    private String readJson(String line, String[] values) {
        try (JsonParser parser = JSON.createParser(line)) {
            return readJson(parser, values);
        } catch (IOException e) {
            return FlatJson.malformed(e);
        }
    }

    private String readJson(JsonParser parser, String[] values) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return "not a JSON object";
        }
        readObject(parser, "", values);
        if (parser.nextToken() != null) {
            return "text after the JSON object";
        }
        return null;
    }

    private void readObject(JsonParser parser, String prefix, String[] values) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            // Jackson hands out one canonical instance per name, its hash cached; "" + name would copy it.
            String name = prefix.isEmpty() ? parser.currentName() : prefix + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if (name.equals("id")) {
                    readObject(parser, "id.", values);
                } else {
                    parser.skipChildren();
                }
                continue;
            }
            if (value == JsonToken.START_ARRAY) {
                parser.skipChildren();
                continue;
            }
            int slot = slotOf.applyAsInt(name);
            if (slot >= 0 && value != JsonToken.VALUE_NULL) {
                values[slot] = parser.getText();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
    }
}
