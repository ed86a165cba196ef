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

    /**
     * rule, source, kind#sequence, scope, window kind, then the key evidence: attempts and distinct hosts / ports /
     * services of a scan; the scan followed, failures, successes, confidence and accounts of a correlation. Sorted.
     */
    public static List<String> summaries(List<JsonNode> alerts) {
        List<String> lines = new ArrayList<>();
        for (JsonNode alert : alerts) {
            JsonNode s = alert.path("scanwatch");
            String head = String.join(
                    "\t",
                    alert.path("rule").path("name").asText(),
                    alert.path("source").path("ip").asText(),
                    s.path("alert_kind").asText() + "#" + s.path("sequence").asInt(),
                    s.path("scope").asText(),
                    s.path("window").path("kind").asText());
            JsonNode logons = s.path("logons");
            lines.add(head + "\t"
                    + (logons.isMissingNode()
                            ? String.join(
                                    "\t",
                                    "attempts=" + s.path("attempts").asLong(),
                                    "hosts=" + s.path("distinct_hosts").asInt(),
                                    "ports=" + s.path("distinct_ports").asInt(),
                                    "services=" + s.path("distinct_services").asInt())
                            : String.join(
                                    "\t",
                                    "follows=" + s.path("follows").path("rule").asText(),
                                    "failures=" + logons.path("failures").asLong(),
                                    "successes=" + logons.path("successes").asLong(),
                                    "confidence=" + logons.path("confidence").asText(),
                                    "users=" + logons.path("users").size())));
        }
        lines.sort(null);
        return lines;
    }
}
