package io.scanwatch.parse.zeek;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.json.FlatJson;
import java.io.IOException;
import java.util.function.ToIntFunction;

/**
 * Reads the columns a parser wants from any Zeek log, in either of Zeek's encodings: JSON lines
 * ({@code LogAscii::use_json}, flat {@code id.orig_h} or a nested {@code id} object) or TSV whose {@code #fields}
 * header names the columns. The encoding is decided per line, so one stream may switch.
 */
final class ZeekLogReader {
    private final ToIntFunction<String> slotOf;
    private final ZeekTsvLayout tsv;
    private final ZeekJsonScanner scanner;

    /** @param slotOf the slot in the values array for a column name, or -1 for columns not wanted */
    ZeekLogReader(ToIntFunction<String> slotOf) {
        this.slotOf = slotOf;
        this.tsv = new ZeekTsvLayout(slotOf);
        this.scanner = new ZeekJsonScanner(slotOf);
    }

    /**
     * A line whose log ({@code _path}, or the TSV {@code #path}) is not {@code log}, skipped with why; null when it is
     * {@code log}, a log renamed from it (Zeek's logging framework splits and renames: conn-internal, conn_long), or
     * unnamed.
     */
    static ParsedLine otherLog(String path, String log) {
        return path == null || path.startsWith(log)
                ? null
                : ParsedLine.skipped("a line of Zeek's " + path + ".log, not " + log + ".log");
    }

    static boolean isHeader(String line) {
        return line.charAt(0) == '#';
    }

    ParsedLine header(String line) {
        return tsv.readHeader(line);
    }

    /** No {@code #fields} header read: TSV rows cannot be read (JSON lines can). */
    boolean awaitsHeader() {
        return !tsv.hasColumns();
    }

    /** Fills {@code values} (cleared first; null means unset). @return null when read, else what is wrong */
    String read(String line, String[] values) {
        java.util.Arrays.fill(values, null);
        char first = line.charAt(0);
        return first == '{' || first == '[' ? readJson(line, values) : tsv.readRow(line, values);
    }

    /**
     * Fills {@code values} from a JSON line in UTF-8 as {@link #read(String, String[])} would from its text, where
     * the line is one Zeek writes ({@link ZeekJsonScanner}).
     *
     * @return whether it was read so; if not, the caller reads its text
     */
    boolean readJson(byte[] utf8, int length, String[] values) {
        return scanner.read(utf8, length, values);
    }

    private String readJson(String line, String[] values) {
        try (JsonParser parser = FlatJson.parser(line)) {
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
