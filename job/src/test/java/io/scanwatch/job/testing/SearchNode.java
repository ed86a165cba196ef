package io.scanwatch.job.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real search node (codelibs' runners from Maven Central: OpenSearch 2.19 or Elasticsearch 7.10) in its own
 * process, for the test class: {@code deploy/local} holds the poms and the launcher. Ready when the node itself
 * says so, not after a sleep; stopped by closing its standard input.
 */
public final class SearchNode implements BeforeAllCallback, AfterAllCallback {
    private static final Path DEPLOY = Paths.get("..", "deploy", "local");

    private final String product;
    private final String runner;

    private Process process;
    private int port;

    private SearchNode(String product, String runner) {
        this.product = product;
        this.runner = runner;
    }

    public static SearchNode opensearch() {
        return new SearchNode("opensearch", "org.codelibs.opensearch.runner.OpenSearchRunner");
    }

    public static SearchNode elasticsearch() {
        return new SearchNode("elasticsearch", "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner");
    }

    private String classpath;
    private Path base;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path classpathFile = Files.createTempFile("opensearch-classpath", ".txt");
        try {
            run(new ProcessBuilder(
                    Paths.get("..", "mvnw").toString(),
                    "-q",
                    "-B",
                    "-ntp",
                    "-f",
                    DEPLOY.resolve(product).resolve("pom.xml").toString(),
                    "dependency:build-classpath",
                    "-Dmdep.outputFile=" + classpathFile));
            classpath = Files.readString(classpathFile).trim();
        } finally {
            Files.delete(classpathFile);
        }
        port = freePort();
        base = Files.createTempDirectory("opensearch");
        start();
    }

    /** Starts the node (again, on the same port) and returns once it is ready. */
    public void start() throws IOException {
        process = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-Xmx512m",
                        "-cp",
                        classpath,
                        DEPLOY.resolve("SearchNode.java").toString(),
                        runner,
                        base.toString(),
                        String.valueOf(port))
                .redirectErrorStream(true)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("ready ")) {
                drain(out);
                return;
            }
            log.append(line).append('\n');
        }
        throw new IllegalStateException("the " + product + " node ended before it was ready:\n" + log);
    }

    /** Stops the node and waits until it is gone. */
    public void stop() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The runner takes HTTP ports only up to 9299. */
    private static int freePort() throws IOException {
        for (int candidate = 9250; candidate < 9299; candidate++) {
            try (ServerSocket free = new ServerSocket(candidate)) {
                return candidate;
            } catch (IOException busy) {
                // Try the next one.
            }
        }
        throw new IOException("no free port from 9250 to 9298 for the search node");
    }

    /** Keeps reading the node's output so that it never blocks on a full pipe. */
    private static void drain(BufferedReader out) {
        Thread thread = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // The node's own log: not needed once it is ready.
                }
            } catch (IOException e) {
                // The node went away.
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process maven = builder.redirectErrorStream(true).start();
        String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (maven.waitFor() != 0) {
            throw new IllegalStateException("resolving a search node from Maven Central failed:\n" + output);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            stop();
        }
        if (base != null) {
            Directories.deleteRecursively(base);
        }
    }

    public String url() {
        return "http://localhost:" + port;
    }
}
