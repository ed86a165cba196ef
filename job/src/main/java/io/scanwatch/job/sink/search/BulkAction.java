package io.scanwatch.job.sink.search;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/** One document to index: where, under which id, and its JSON. */
public record BulkAction(String index, String id, byte[] document) implements Serializable {
    /** The two NDJSON lines of a {@code _bulk} body: the action, then the document. */
    void appendTo(java.io.ByteArrayOutputStream body) {
        String action = "{\"index\":{\"_index\":" + quote(index) + ",\"_id\":" + quote(id) + "}}\n";
        body.writeBytes(action.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(document);
        body.write('\n');
    }

    long sizeInBytes() {
        return document.length + index.length() + id.length() + 32;
    }

    /** A JSON string literal of {@code text}. */
    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
