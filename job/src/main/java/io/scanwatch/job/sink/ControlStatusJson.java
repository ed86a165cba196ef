package io.scanwatch.job.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.scanwatch.job.model.ControlStatus;
import io.scanwatch.text.WellFormedText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/** A control record's status as one JSON object: version, time, accepted (with a note, if any) or rejected with the reason, origin. */
public final class ControlStatusJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ControlStatusJson() {}

    public static String write(ControlStatus status) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("version", status.version);
            if (status.from != Long.MIN_VALUE) {
                json.writeStringField("from", Instant.ofEpochMilli(status.from).toString());
            }
            json.writeStringField("status", status.accepted ? "accepted" : "rejected");
            if (status.reason != null) {
                json.writeStringField("reason", status.reason);
            }
            if (status.note != null) {
                json.writeStringField("note", status.note);
            }
            json.writeStringField("origin", status.origin);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return WellFormedText.of(text.toString());
    }
}
