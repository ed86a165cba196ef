package io.scanwatch.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Alerts as the job wrote them (JSON lines), and their one-line summaries that golden files hold. */
public final class AlertsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertsFile() {}

    public static List<JsonNode> read(Path file) {
        List<JsonNode> alerts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                alerts.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return alerts;
    }

    /** rule, source, kind#sequence, scope, window kind, attempts, distinct hosts / ports / services: sorted. */
    public static List<String> summaries(List<JsonNode> alerts) {
        List<String> lines = new ArrayList<>();
        for (JsonNode alert : alerts) {
            JsonNode s = alert.path("scanwatch");
            lines.add(String.join("\t", alert.path("rule").path("name").asText(), alert.path("source").path("ip").asText(),
                    s.path("alert_kind").asText() + "#" + s.path("sequence").asInt(), s.path("scope").asText(),
                    s.path("window").path("kind").asText(), "attempts=" + s.path("attempts").asLong(),
                    "hosts=" + s.path("distinct_hosts").asInt(), "ports=" + s.path("distinct_ports").asInt(),
                    "services=" + s.path("distinct_services").asInt()));
        }
        lines.sort(null);
        return lines;
    }
}
