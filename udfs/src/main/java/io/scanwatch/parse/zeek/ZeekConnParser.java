package io.scanwatch.parse.zeek;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import java.io.IOException;

/**
 * Zeek conn.log in either of Zeek's encodings: JSON lines ({@code LogAscii::use_json}) or the TSV format whose
 * {@code #fields} header names the columns. The encoding is decided per line, so one stream may switch.
 */
public final class ZeekConnParser implements LineParser {
    private static final JsonFactory JSON = new JsonFactory();

    private final ZeekConnRecord record = new ZeekConnRecord();
    private final ZeekTsvLayout tsv = new ZeekTsvLayout();

    @Override
    public ParsedLine parse(String line) {
        if (line == null || line.isBlank()) {
            return ParsedLine.skipped("blank line");
        }
        char first = line.charAt(0);
        if (first == '#') {
            return tsv.readHeader(line);
        }
        record.clear();
        String problem = first == '{' || first == '[' ? readJson(line) : tsv.readRow(line, record);
        return problem != null ? ParsedLine.rejected(problem) : record.toParsedLine();
    }

    /** @return null when the line was read, else what is wrong with it. */
    private String readJson(String line) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "not a JSON object";
            }
            readObject(parser, false);
            if (parser.nextToken() != null) {
                return "text after the JSON object";
            }
            return null;
        } catch (JsonProcessingException e) {
            return "malformed JSON: " + firstLine(e.getOriginalMessage());
        } catch (IOException e) {
            return "malformed JSON: " + firstLine(e.getMessage());
        }
    }

    private void readObject(JsonParser parser, boolean insideId) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if ("id".equals(name) && !insideId) {
                    readObject(parser, true);
                } else {
                    parser.skipChildren();
                }
                continue;
            }
            if (value == JsonToken.START_ARRAY) {
                parser.skipChildren();
                continue;
            }
            ZeekField field = ZeekField.byName(name);
            if (field != null && value != JsonToken.VALUE_NULL) {
                record.set(field, parser.getText());
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
