package io.scanwatch.job.sink.search;

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

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c < 0x20 ? ' ' : c);
        }
        return quoted.append('"').toString();
    }
}
