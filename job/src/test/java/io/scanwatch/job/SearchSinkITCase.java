package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.SearchNode;
import io.scanwatch.job.testing.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts into a real search node (each product's subclass starts its own): each under its event.id (a replay changes nothing), documents the cluster
 * refuses in the dead-letter index with its reason while the rest arrive, and an unreachable cluster failing the
 * job after the progress timeout with a message that names it but not the credentials.
 */
abstract class SearchSinkITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    /** The real node this run writes to. */
    abstract SearchNode node();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final JobRun job = new JobRun();

    private List<JsonNode> replay(String name, String... more) throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        List<String> args = JobRun.demo(alerts, Testdata.explicitInputs());
        args.addAll(List.of("--search-url", node().url()));
        args.addAll(List.of(more));
        job.succeeds(args);
        return AlertsFile.read(alerts);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node().url() + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(
                HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private List<JsonNode> documents(String index) throws Exception {
        call("POST", "/" + index + "/_refresh", null);
        List<JsonNode> hits = new ArrayList<>();
        call("GET", "/" + index + "/_search?size=1000", null).at("/hits/hits").forEach(hits::add);
        return hits;
    }

    @Test
    void everyAlertIsOneDocumentUnderItsIdAndAReplayChangesNothing() throws Exception {
        List<JsonNode> alerts = replay("first");
        assertThat(job.err())
                .contains(String.format("  in search            %d alerts indexed%n", alerts.size()))
                .as("the node answers")
                .doesNotContain("no search node")
                .as("no template maps the default index")
                .contains("scanwatch: warning: a new alert index (scanwatch-alerts-")
                .contains(
                        "would map source.ip dynamically, as text or keyword, not ip (no index template sets its type)")
                .contains("deploy/search/install-template.sh " + node().url());
        replay("again");
        Set<String> ids = alerts.stream().map(a -> a.at("/event/id").asText()).collect(Collectors.toSet());
        List<JsonNode> stored = documents("scanwatch-alerts-*");
        assertThat(stored).extracting(hit -> hit.get("_id").asText()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(stored)
                .allSatisfy(hit -> assertThat(hit.get("_index").asText()).isEqualTo("scanwatch-alerts-2026.03.02"))
                .allSatisfy(hit -> assertThat(hit.at("/_source/event/id").asText())
                        .isEqualTo(hit.get("_id").asText()));
    }

    @Test
    void theShippedTemplateGivesAddressesAndTimesTheirTypes() throws Exception {
        installShippedTemplate("typed-alerts");
        List<JsonNode> alerts = replay("typed", "--set", "search.index=typed-alerts-{yyyy.MM.dd}");
        assertThat(job.err()).doesNotContain("source.ip as");
        documents("typed-alerts-*");
        assertThat(call("GET", "/typed-alerts-*/_mapping/field/source.ip", null).toString())
                .contains("\"type\":\"ip\"");
        JsonNode inRange = call(
                "POST",
                "/typed-alerts-*/_search?size=1000",
                "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"source.ip\":\"203.0.113.0/24\"}},"
                        + "{\"range\":{\"@timestamp\":{\"gte\":\"2026-03-02T09:07:00Z\"}}}]}}}");
        long expected = alerts.stream()
                .filter(a -> a.at("/source/ip").asText().startsWith("203.0.113."))
                .filter(a -> a.at("/@timestamp").asText().compareTo("2026-03-02T09:07:00Z") >= 0)
                .count();
        assertThat(expected).isPositive();
        assertThat(inRange.at("/hits/hits")).hasSize((int) expected);
        assertThat(call("GET", "/_cluster/health/typed-alerts-*?level=indices", null)
                        .path("status")
                        .asText())
                .as("a single node's alert indices hold no replica it cannot place")
                .isEqualTo("green");
    }

    @Test
    void theShippedTemplateFindsLogonTargetsByNetworkAndByName() throws Exception {
        installShippedTemplate("logon-alerts");
        List<JsonNode> alerts = replay("logons", "--set", "search.index=logon-alerts-{yyyy.MM.dd}");
        assertThat(documents("logon-alerts-*"))
                .as("a host logged on to by name is no malformed address: every alert is indexed")
                .hasSize(alerts.size());
        // The sensors name a logon's host by address (Zeek) or by name (sshd, Windows): both are searchable.
        assertThat(matching("logon-alerts-*", "scanwatch.logons.targets.ip", "10.20.0.0/16"))
                .isEqualTo(withLogonTarget(alerts, "targets", target -> target.startsWith("10.20.")))
                .isPositive();
        assertThat(matching("logon-alerts-*", "scanwatch.logons.logged_on.target.ip", "10.20.0.0/16"))
                .isEqualTo(withLogonTarget(alerts, "logged_on", target -> target.startsWith("10.20.")))
                .isPositive();
        assertThat(matching("logon-alerts-*", "scanwatch.logons.targets", "bastion"))
                .isEqualTo(withLogonTarget(alerts, "targets", "bastion"::equals))
                .isPositive();
    }

    /**
     * A site-wide template of higher priority over the shipped one: the index takes the site's mapping, and
     * installing the shipped template again, which the warning said, changed nothing.
     */
    @Test
    void aTemplateThatOutranksTheShippedOneIsNamed() throws Exception {
        installShippedTemplate("ranked-alerts");
        assertThat(call(
                                "PUT",
                                "/_index_template/site-wide",
                                "{\"index_patterns\": [\"ranked-*\"], \"priority\": 500, \"template\": {\"mappings\":"
                                        + " {\"properties\": {\"source\": {\"properties\": {\"ip\": {\"type\":"
                                        + " \"keyword\"}}}}}}}")
                        .path("acknowledged")
                        .asBoolean())
                .isTrue();
        replay("ranked", "--set", "search.index=ranked-alerts-{yyyy.MM.dd}");
        assertThat(job.err())
                .contains("would map source.ip as keyword, not ip")
                .contains("The template 'ranked-alerts' maps it as ip, but 'site-wide' (priority 500) matches the"
                        + " index too and outranks it")
                .contains("give 'ranked-alerts' a priority above 500")
                .doesNotContain("Install the shipped template");
    }

    /** The shipped index template, for the indices named {@code prefix-*}. */
    private void installShippedTemplate(String prefix) throws Exception {
        String template = java.nio.file.Files.readString(
                        java.nio.file.Paths.get("..", "deploy", "search", "scanwatch-alerts-template.json"))
                .replace("\"scanwatch-alerts-*\"", "\"" + prefix + "-*\"");
        assertThat(call("PUT", "/_index_template/" + prefix, template)
                        .path("acknowledged")
                        .asBoolean())
                .isTrue();
    }

    /** The documents whose field holds the term (a CIDR matches the addresses in it). */
    private long matching(String index, String field, String term) throws Exception {
        return call("POST", "/" + index + "/_count", "{\"query\":{\"term\":{\"" + field + "\":\"" + term + "\"}}}")
                .path("count")
                .asLong();
    }

    /** The alerts with a logon target, in {@code targets} or {@code logged_on}, that the test accepts. */
    private static long withLogonTarget(List<JsonNode> alerts, String list, Predicate<String> accepted) {
        return alerts.stream()
                .filter(alert -> {
                    List<String> targets = new ArrayList<>();
                    alert.at("/scanwatch/logons/" + list)
                            .forEach(entry -> targets.add(
                                    entry.isObject() ? entry.path("target").asText() : entry.asText()));
                    return targets.stream().anyMatch(accepted);
                })
                .count();
    }

    @Test
    void anExistingIndexThatMapsAddressesAsKeywordsIsNamedAtStart() throws Exception {
        assertThat(call(
                                "PUT",
                                "/keyword-alerts",
                                "{\"mappings\":{\"properties\":{\"source\":{\"properties\":{\"ip\":{\"type\":\"keyword\"}}}}}}")
                        .path("acknowledged")
                        .asBoolean())
                .isTrue();
        replay("keyword", "--set", "search.index=keyword-alerts");
        assertThat(job.err())
                .contains("scanwatch: warning: the alert index keyword-alerts maps source.ip as keyword, not ip: ");
        assertThat(documents("keyword-alerts"))
                .as("a warning only: the alerts still go there")
                .isNotEmpty();
    }

    @Test
    void refusedDocumentsGoToTheDeadLetterIndexAndTheOthersArrive() throws Exception {
        // scan_type as a number: every alert that has one is refused with a mapping error, the others are fine.
        call(
                "PUT",
                "/conflict-2026.03.02",
                "{\"mappings\":{\"properties\":{\"scanwatch\":{\"properties\":"
                        + "{\"scan_type\":{\"type\":\"long\"}}}}}}");
        List<JsonNode> alerts = replay(
                "conflict",
                "--set",
                "search.index=conflict-{yyyy.MM.dd}",
                "--set",
                "search.dead-letter-index=conflict-dead");
        long typed = alerts.stream()
                .filter(a -> a.at("/scanwatch/scan_type").isTextual())
                .count();
        assertThat(typed).isPositive();
        assertThat(job.err())
                .as("the summary says what the cluster took")
                .contains(String.format(
                        "  in search            %d alerts indexed, %d refused by the cluster, in conflict-dead",
                        alerts.size() - typed, typed));
        assertThat(documents("conflict-2026.03.02")).hasSize((int) (alerts.size() - typed));
        List<JsonNode> dead = documents("conflict-dead");
        assertThat(dead).hasSize((int) typed).allSatisfy(hit -> {
            assertThat(hit.at("/_source/reason").asText()).startsWith("400 ").contains("scan_type");
            assertThat(JSON.readTree(hit.at("/_source/raw").asText())
                            .at("/event/id")
                            .asText())
                    .isEqualTo(hit.get("_id").asText());
        });
    }

    /** The demo replay into indices named {@code NAME-<day>} and dead letters into {@code NAME-dead}: its status. */
    private int runInto(String name) throws Exception {
        List<String> args = JobRun.demo(dir.resolve(name + ".jsonl"), Testdata.explicitInputs());
        args.addAll(List.of(
                "--search-url", node().url(),
                "--set", "search.index=" + name + "-{yyyy.MM.dd}",
                "--set", "search.dead-letter-index=" + name + "-dead"));
        return job.run(args);
    }

    @Test
    void whenTheDeadLetterIndexRefusesTooTheJobFailsRatherThanLoseAlerts() throws Exception {
        call(
                "PUT",
                "/lost-2026.03.02",
                "{\"mappings\":{\"properties\":{\"scanwatch\":{\"properties\":"
                        + "{\"scan_type\":{\"type\":\"long\"}}}}}}");
        call("PUT", "/lost-dead", "{\"mappings\":{\"properties\":{\"reason\":{\"type\":\"long\"}}}}");
        assertThat(runInto("lost")).isEqualTo(1);
        assertThat(job.err()).contains("and its dead letter in lost-dead").contains("check that index's mapping");
    }

    /** A write block refuses the index, not the document: no alert is sent to the dead-letter index for it. */
    @Test
    void aWriteBlockedIndexFailsTheJobNamingIt() throws Exception {
        call("PUT", "/blocked-2026.03.02", "{\"settings\":{\"index.blocks.write\":true}}");
        assertThat(runInto("blocked")).isEqualTo(1);
        assertThat(job.err())
                .contains("in blocked-2026.03.02 (403 cluster_block_exception")
                .contains("every alert would be refused there");
        assertThat(call("GET", "/blocked-dead", null).at("/error/type").asText())
                .as("a dead letter would have made the index")
                .isEqualTo("index_not_found_exception");
    }

    /** A data stream takes only op_type create: every alert would go to the dead-letter index, however well formed. */
    @Test
    void aDataStreamAsTheAlertIndexFailsTheJobNamingIt() throws Exception {
        JsonNode template = call(
                "PUT",
                "/_index_template/stream-alerts",
                "{\"index_patterns\":[\"stream-alerts*\"],\"data_stream\":{},\"priority\":500}");
        assumeTrue(
                template.path("acknowledged").asBoolean(),
                "data streams are not in this node's build (Elasticsearch 7.10.2's OSS runner): " + template);
        assertThat(call("PUT", "/_data_stream/stream-alerts", null)
                        .path("acknowledged")
                        .asBoolean())
                .isTrue();
        List<String> args = JobRun.demo(dir.resolve("stream.jsonl"), Testdata.explicitInputs());
        args.addAll(List.of(
                "--search-url", node().url(),
                "--set", "search.index=stream-alerts",
                "--set", "search.dead-letter-index=stream-dead"));
        assertThat(job.run(args)).isEqualTo(1);
        assertThat(job.err())
                .contains("in stream-alerts (400 illegal_argument_exception")
                .contains("or a data stream, which takes only op_type create");
        assertThat(call("GET", "/stream-dead", null).at("/error/type").asText()).isEqualTo("index_not_found_exception");
    }

    @Test
    void alertsWaitWhileTheNodeIsDownAndArriveOnceWhenItIsBack() throws Exception {
        node().stop();
        Path file = dir.resolve("outage.jsonl");
        List<String> args = JobRun.demo(file, Testdata.explicitInputs());
        args.addAll(List.of("--search-url", node().url(), "--set", "search.index=outage-{yyyy.MM.dd}"));
        java.util.concurrent.CompletableFuture<Integer> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return job.run(args);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The alerts are found and held back while the node is down; the file sink has them all at once.
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
        while (!job.err().matches("(?s).*[1-9][0-9]* alerts so far.*") && !run.isDone()) {
            assertThat(java.time.Instant.now())
                    .as("alerts found while the node is down")
                    .isBefore(deadline);
            Thread.sleep(50);
        }
        node().start();
        assertThat(run.get(3, java.util.concurrent.TimeUnit.MINUTES))
                .as(job.err())
                .isZero();
        List<JsonNode> alerts = AlertsFile.read(file);
        assertThat(documents("outage-*"))
                .extracting(hit -> hit.get("_id").asText())
                .containsExactlyInAnyOrderElementsOf(
                        alerts.stream().map(a -> a.at("/event/id").asText()).toList());
    }

    @Test
    void httpsToThePlainHttpNodeIsSaidToBeTlsAtStart() {
        String https = node().url().replace("http://", "https://");
        io.scanwatch.job.config.ScanwatchConfig.SearchConfig config = Detectors.configLoader()
                .load(null, java.util.Map.of("search.urls", "['" + https + "']"))
                .search();
        assertThat(io.scanwatch.job.sink.search.SearchPreflight.warnings(
                        config, java.time.Duration.ofSeconds(10), java.time.Instant.now()))
                .singleElement()
                .satisfies(warning -> assertThat(warning)
                        .startsWith("TLS to [" + https + "] failed (SSLException")
                        .contains("an http node given as https://"));
    }

    @Test
    void anUnreachableClusterFailsTheJobAfterTheProgressTimeoutWithoutItsCredentials() throws Exception {
        List<String> args = JobRun.demo(dir.resolve("never.jsonl"), Testdata.explicitInputs());
        args.addAll(List.of(
                "--search-url", "http://127.0.0.1:9",
                "--set", "search.progress-timeout=2s",
                "--set", "search.username=analyst",
                "--set", "search.password=hunter2-secret"));
        assertThat(job.run(args)).isEqualTo(1);
        assertThat(job.err())
                .as("said at start, when nothing answers")
                .contains("scanwatch: warning: no search node at [http://127.0.0.1:9] answered within 2 s (")
                .contains("no alert reached the search cluster [http://127.0.0.1:9]")
                .doesNotContain("hunter2-secret");
    }
}
