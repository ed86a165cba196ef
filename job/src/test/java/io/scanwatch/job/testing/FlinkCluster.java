package io.scanwatch.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A real Flink 2.2 standalone session cluster for a test class: a JobManager and TaskManagers as separate JVM
 * processes, started and stopped by {@code deploy/local/flink.sh} (the script users run), with its state in a
 * temporary directory and its own REST and Prometheus ports.
 */
public final class FlinkCluster implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final int taskManagers;
    private final int restPort;
    private final String prometheusPorts;
    private final Map<String, String> clusterEnvironment;
    private final HttpClient http = HttpClient.newHttpClient();
    private Path state;
    private volatile boolean failed;

    public FlinkCluster(int taskManagers, int restPort, String prometheusPorts) {
        this(taskManagers, restPort, prometheusPorts, Map.of());
    }

    /** As above, the JobManager and TaskManagers started with {@code clusterEnvironment} (another Java's PATH, say). */
    public FlinkCluster(
            int taskManagers, int restPort, String prometheusPorts, Map<String, String> clusterEnvironment) {
        this.taskManagers = taskManagers;
        this.restPort = restPort;
        this.prometheusPorts = prometheusPorts;
        this.clusterEnvironment = clusterEnvironment;
    }

    private static Path script() {
        return Path.of(System.getProperty("scanwatch.root", ".."))
                .resolve("deploy/local/flink.sh")
                .normalize();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        state = Files.createTempDirectory("scanwatch-flink");
        Result started = run(List.of("start", String.valueOf(taskManagers)), clusterEnvironment);
        assertThat(started.status()).as(started.output()).isZero();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
    }

    /**
     * Stops the cluster; its directory (logs, blobs, savepoints: 100 MB a run) stays when a test failed or the
     * cluster did not stop, for whoever looks into why.
     */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (state == null) {
            return;
        }
        Result stopped = run(List.of("stop"), Map.of());
        if (failed || stopped.status() != 0 || context.getExecutionException().isPresent()) {
            System.err.println("the Flink cluster's logs and state are kept in " + state + "\n" + stopped.output());
        } else {
            Directories.deleteRecursively(state);
        }
    }

    /** What a run of the script printed, and how it ended. */
    public record Result(int status, String output) {}

    /** Runs the cluster jar's main through {@code flink.sh submit}; {@code env} may name FLINK_SAVEPOINT. */
    public Result submit(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("submit"));
        command.addAll(args);
        return run(command, env);
    }

    private Result run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLINK_STATE", state.toString());
        builder.environment().put("FLINK_REST_PORT", String.valueOf(restPort));
        builder.environment().put("FLINK_PROMETHEUS_PORTS", prometheusPorts);
        // A killed TaskManager is noticed within 10 s, rather than the default 50; a job's slots are spread over the
        // TaskManagers, so that killing one always hits it.
        builder.environment()
                .put(
                        "FLINK_SETTINGS",
                        "-Dheartbeat.timeout=10000 -Dheartbeat.interval=2000 -Dtaskmanager.load-balance.mode=SLOTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    /** The id of the job a {@link #submit} started, from Flink's CLI output. */
    public static String jobId(Result submitted) {
        Matcher id = JOB_ID.matcher(submitted.output());
        assertThat(id.find()).as(submitted.output()).isTrue();
        return id.group(1);
    }

    /** A job's task failures, each as its task and first line: Flink's exception history, restarts included. */
    public List<String> failures(String job) throws Exception {
        JsonNode history = rest("/jobs/" + job + "/exceptions").at("/exceptionHistory/entries");
        assertThat(history.isArray())
                .as("exception history of job %s: %s", job, history)
                .isTrue();
        List<String> failures = new ArrayList<>();
        history.forEach(failure -> failures.add(failure.at("/taskName").asText() + ": "
                + failure.at("/stacktrace").asText().lines().findFirst().orElse("")));
        return failures;
    }

    public JsonNode rest(String path) throws Exception {
        return JSON.readTree(get("http://localhost:" + restPort + path));
    }

    public JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** A process's Prometheus page: the JobManager's, then each TaskManager's, on the configured ports. */
    public String scrape(int port) throws Exception {
        return get("http://localhost:" + port + "/metrics");
    }

    private String get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Cancels a job, and waits until the cluster says it is. */
    public void cancel(String job) throws Exception {
        http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/jobs/" + job + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Instant deadline = Instant.now().plusSeconds(60);
        while (!rest("/jobs/" + job).at("/state").asText().matches("CANCELED|FAILED|FINISHED")) {
            assertThat(Instant.now()).as("job %s cancelled", job).isBefore(deadline);
            Thread.sleep(200); // polling the REST API: the wait ends when the job is cancelled
        }
    }

    /** Stops a job with a savepoint (Flink's graceful stop), and returns where the savepoint is. */
    public String stopWithSavepoint(String job) throws Exception {
        String request = post(
                        "/jobs/" + job + "/stop",
                        "{\"targetDirectory\": \"" + savepoints().toUri() + "\", \"drain\": false}")
                .at("/request-id")
                .asText();
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            JsonNode status = rest("/jobs/" + job + "/savepoints/" + request);
            if (status.at("/status/id").asText().equals("COMPLETED")) {
                JsonNode operation = status.at("/operation");
                assertThat(operation.has("location"))
                        .as("savepoint of job %s: %s", job, operation)
                        .isTrue();
                return operation.at("/location").asText();
            }
            assertThat(Instant.now()).as("savepoint of job %s", job).isBefore(deadline);
            Thread.sleep(200); // polling the REST API: the wait ends when the savepoint is complete
        }
    }

    /** Kills a TaskManager as a crash would (SIGKILL), by the PID the script recorded. */
    public void killTaskManager(int number) throws Exception {
        long pid = Long.parseLong(Files.readString(state.resolve("taskmanager-" + number + ".pid"))
                .trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        // Bounded: a killed process nobody reaps stays a zombie, "alive" to ProcessHandle, and the test would hang.
        process.onExit().get(1, TimeUnit.MINUTES);
    }

    public Path savepoints() {
        return state.resolve("savepoints");
    }
}
