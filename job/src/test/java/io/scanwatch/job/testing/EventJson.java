package io.scanwatch.job.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Normalised events as one JSON object each, fields in a fixed order, unknown values left out: the golden files
 * that pin what each parser makes of the test data.
 */
final class EventJson {
    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {}

    /** What every event begins with: its kind, its time and the source that acted. */
    private static void who(JsonGenerator json, String kind, long timestamp, String sourceIp, int sourcePort)
            throws IOException {
        json.writeStringField("kind", kind);
        json.writeStringField("time", Instant.ofEpochMilli(timestamp).toString());
        json.writeStringField("source_ip", sourceIp);
        number(json, "source_port", sourcePort);
    }

    public static String write(ConnectionEvent e) {
        return write(json -> {
            who(json, "connection", e.timestamp, e.sourceIp, e.sourcePort);
            json.writeStringField("destination_ip", e.destinationIp);
            number(json, "destination_port", e.destinationPort);
            json.writeStringField("transport", e.transport.name().toLowerCase(java.util.Locale.ROOT));
            json.writeStringField("outcome", e.outcome.name().toLowerCase(java.util.Locale.ROOT));
            number(json, "source_bytes", e.sourceBytes);
            number(json, "destination_bytes", e.destinationBytes);
            number(json, "source_packets", e.sourcePackets);
            number(json, "destination_packets", e.destinationPackets);
            text(json, "sensor_state", e.sensorState);
            if (e.oneWay) {
                json.writeBooleanField("one_way", true);
            }
            json.writeStringField("format", e.format);
        });
    }

    public static String write(AuthEvent e) {
        return write(json -> {
            who(json, "authentication", e.timestamp, e.sourceIp, e.sourcePort);
            text(json, "target_host", e.targetHost);
            text(json, "target_ip", e.targetIp);
            number(json, "target_port", e.targetPort);
            text(json, "service", e.service);
            text(json, "user", e.user);
            json.writeBooleanField("success", e.success);
            json.writeNumberField("attempts", e.attempts);
            text(json, "detail", e.detail);
            json.writeStringField("format", e.format);
        });
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void number(JsonGenerator json, String name, long value) throws IOException {
        if (value >= 0) {
            json.writeNumberField(name, value);
        }
    }

    private static void text(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
