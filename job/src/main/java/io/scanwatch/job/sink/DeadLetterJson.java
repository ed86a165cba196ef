package io.scanwatch.job.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.text.WellFormedText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** A dead letter as one JSON object: format, reason, origin and the raw text (bounded). */
public final class DeadLetterJson {
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterJson() {}

    public static String write(DeadLetter letter) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("format", letter.format);
            json.writeStringField("reason", letter.reason);
            json.writeStringField("origin", letter.origin);
            json.writeStringField("raw", letter.raw);
            if (letter.rawTruncated) {
                json.writeBooleanField("raw_truncated", true);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Names of accounts and hosts come from the input: a lone surrogate there must not break a UTF-8 writer.
        return WellFormedText.of(text.toString());
    }
}
