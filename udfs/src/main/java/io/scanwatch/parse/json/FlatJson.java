package io.scanwatch.parse.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object read into dotted keys ({@code winlog.event_data.IpAddress}) and scalar text values, for formats
 * whose records are small and nest a little (Windows events, Suricata EVE). Arrays are skipped; nesting is
 * bounded so a hostile record cannot recurse without end.
 */
public final class FlatJson {
    /**
     * Names whose hashes collide in Jackson's name table (a hash-flooding line) are read without interning them,
     * instead of failing the line: the table is shared by every line read in this JVM, so that a line's verdict
     * depended on the names of the lines read before it.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
            .build();

    private static final int MAX_DEPTH = 8;

    private FlatJson() {}

    /** A parser of one line, for readers that take their own values. */
    public static JsonParser parser(String line) throws IOException {
        return JSON.createParser(line);
    }

    /** @throws IllegalArgumentException saying what is wrong when the line is not one JSON object */
    public static Map<String, String> parse(String line) {
        return parse(line, Set.of());
    }

    /**
     * As {@link #parse(String)}, with the arrays of the top-level names given read as UTF-8 text when they hold
     * bytes (systemd's journal writes a message that is not plain text so); other arrays are skipped.
     */
    public static Map<String, String> parse(String line, Set<String> textInBytes) {
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = parser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            read(parser, "", 0, values, textInBytes);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(malformed(e));
        }
        return values;
    }

    private static void read(
            JsonParser parser, String prefix, int depth, Map<String, String> values, Set<String> textInBytes)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            // Jackson hands out one canonical instance per name, its hash cached; "" + name would copy it.
            String name = prefix.isEmpty() ? parser.currentName() : prefix + parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if (depth + 1 >= MAX_DEPTH) {
                    throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH + " levels");
                }
                read(parser, name + ".", depth + 1, values, Set.of());
            } else if (value == JsonToken.START_ARRAY && textInBytes.contains(name)) {
                String text = text(parser);
                if (text != null) {
                    values.put(name, text);
                }
            } else if (value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            } else if (value != JsonToken.VALUE_NULL) {
                values.put(name, parser.getText());
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
    }

    /** An array of bytes as UTF-8 text (malformed sequences replaced); null, and skipped, for any other array. */
    private static String text(JsonParser parser) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean allBytes = true;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("unterminated array");
            }
            int value = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    ? parser.getIntValue()
                    : -1;
            if (value >= 0 && value <= 255) {
                bytes.write(value);
            } else {
                // Not bytes (journald's several values of one field): skipped, as any other array is.
                allBytes = false;
                parser.skipChildren();
            }
        }
        return allBytes ? new String(bytes.toByteArray(), StandardCharsets.UTF_8) : null;
    }

    /** The reason a dead letter gives for JSON that Jackson could not read: its message, without the location. */
    public static String malformed(IOException e) {
        String message = e instanceof JsonProcessingException
                ? ((JsonProcessingException) e).getOriginalMessage()
                : e.getMessage();
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return "malformed JSON: " + (newline < 0 ? message : message.substring(0, newline));
    }
}
