package io.scanwatch.job.sink.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import io.scanwatch.job.config.SearchIndexName;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Asks the search cluster once at start, from the client, what would go wrong unseen. A mistyped URL would otherwise
 * show only when the progress timeout fails the job, minutes later; and an alert index without the shipped template
 * maps {@code source.ip} as text, so that every CIDR or range search on the alerts finds nothing and nobody is told.
 * Warnings, but for credentials the cluster refuses: a cluster down at start is what the sink waits through (a replay may finish once it is back), a
 * cluster's TaskManagers may reach nodes the client cannot, and a role may write alerts without the right to read
 * mappings (then nothing is said about them).
 */
public final class SearchPreflight {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchPreflight() {}

    /**
     * What to tell the user, in order; empty when all is well or could not be checked.
     *
     * @throws ConfigException when the cluster refuses the credentials: nothing could be indexed
     */
    public static List<String> warnings(SearchConfig config, Duration timeout, Instant now) {
        SearchConnection connection = new SearchConnection(config);
        List<String> warnings = new ArrayList<>();
        try {
            SearchConnection.Reply root = connection.ask("GET", "", timeout);
            if (root.unanswered() != null && root.unanswered().startsWith("SSL")) {
                // The writer fails at its first request on TLS that does not work: said now, with its likely cause.
                warnings.add("TLS to " + connection.describe() + " failed (" + root.unanswered() + "): an http node"
                        + " given as https://, or a certificate search.ca-file does not trust; the job fails at its"
                        + " first alert");
            } else if (root.unanswered() != null) {
                warnings.add("no search node at " + connection.describe() + " answered within "
                        + timeout.toSeconds() + " s (" + root.unanswered()
                        + "): where the job runs cannot reach it either, alerts for it wait up to"
                        + " search.progress-timeout ("
                        + config.progressTimeout().toSeconds()
                        + " s), then the job fails; check search.urls");
            } else if (root.status() == 401) {
                // Credentials the cluster refuses now, it refuses at the end of a replay too, hours later.
                throw new ConfigException("search: " + connection.describe() + " refused scanwatch's credentials"
                        + " (HTTP 401): check search.username and search.password, or search.api-key");
            } else {
                String mapping =
                        addressMapping(connection, SearchIndexName.of(config.index(), now.toEpochMilli()), timeout);
                if (mapping != null) {
                    warnings.add(mapping);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return warnings;
    }

    /**
     * Whether today's alert index maps {@code source.ip} as an address: the index's own mapping if it exists, else
     * what its templates would give it. Indices of other days (a replay's alerts go to their own day's) are named by
     * the same pattern, so the templates that apply are the same.
     */
    private static String addressMapping(SearchConnection connection, String index, Duration timeout)
            throws InterruptedException {
        SearchConnection.Reply existing = connection.ask("GET", index + "/_mapping/field/source.ip", timeout);
        if (existing.status() == 200) {
            List<String> types = new ArrayList<>();
            for (Iterator<JsonNode> each = json(existing).elements(); each.hasNext(); ) {
                String type =
                        each.next().at("/mappings/source.ip/mapping/ip/type").asText();
                types.add(type.isEmpty() ? "nothing yet (the next alert maps it dynamically)" : type);
            }
            return types.stream().allMatch("ip"::equals)
                    ? null
                    : "the alert index " + index + " maps source.ip as " + String.join(", ", types) + ", not ip: "
                            + consequence() + " A template applies to new indices only: install it (" + fix(connection)
                            + ") and let the next index take it, or point search.index at a new name";
        }
        if (existing.status() != 404) {
            return null;
        }
        SearchConnection.Reply simulated = connection.ask("POST", "_index_template/_simulate_index/" + index, timeout);
        if (simulated.status() != 200) {
            return null;
        }
        String type = json(simulated)
                .at("/template/mappings/properties/source/properties/ip/type")
                .asText();
        if (type.equals("ip")) {
            return null;
        }
        String problem = "a new alert index (" + index + ") would map source.ip "
                + (type.isEmpty() ? "dynamically, as text or keyword, not ip" : "as " + type + ", not ip");
        String outranked = outranked(connection, index, timeout);
        if (outranked != null) {
            return problem + ": " + consequence() + " " + outranked;
        }
        return problem + (type.isEmpty() ? " (no index template sets its type)" : "") + ": " + consequence()
                + " Install the shipped template before the first alert (" + fix(connection) + ")";
    }

    /**
     * A template that maps {@code source.ip} as ip and matches the index, outranked by one of higher priority that
     * does not: an index takes one template, the highest's. Installing the shipped one again would change nothing.
     */
    private static String outranked(SearchConnection connection, String index, Duration timeout)
            throws InterruptedException {
        SearchConnection.Reply all = connection.ask("GET", "_index_template", timeout);
        if (all.status() != 200) {
            return null;
        }
        JsonNode winner = null;
        JsonNode typed = null;
        for (JsonNode named : json(all).path("index_templates")) {
            JsonNode template = named.path("index_template");
            if (!matches(template.path("index_patterns"), index)) {
                continue;
            }
            if (winner == null || priority(template) > priority(winner.path("index_template"))) {
                winner = named;
            }
            boolean mapsAnAddress = template.at("/template/mappings/properties/source/properties/ip/type")
                    .asText()
                    .equals("ip");
            if (mapsAnAddress && (typed == null || priority(template) > priority(typed.path("index_template")))) {
                typed = named;
            }
        }
        if (winner == null || typed == null || winner == typed) {
            return null;
        }
        long above = priority(winner.path("index_template"));
        return "The template '" + typed.path("name").asText() + "' maps it as ip, but '"
                + winner.path("name").asText()
                + "' (priority " + above + ") matches the index too and outranks it, and an index takes one template:"
                + " give '" + typed.path("name").asText() + "' a priority above " + above + ", or map source.ip as ip"
                + " in '" + winner.path("name").asText() + "'";
    }

    private static long priority(JsonNode template) {
        return template.path("priority").asLong(0);
    }

    /** Whether an index pattern ({@code *} for any characters) matches the index's name. */
    private static boolean matches(JsonNode patterns, String index) {
        for (JsonNode pattern : patterns) {
            String regex = Arrays.stream(pattern.asText().split("\\*", -1))
                    .map(Pattern::quote)
                    .collect(Collectors.joining(".*"));
            if (index.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    private static String consequence() {
        return "searches of the alerts by address block or range (source.ip:203.0.113.0/24) find nothing.";
    }

    private static String fix(SearchConnection connection) {
        return "deploy/search/install-template.sh " + connection.firstNode()
                + "; it matches scanwatch-alerts-*, edit its index_patterns for another search.index";
    }

    private static JsonNode json(SearchConnection.Reply reply) {
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
