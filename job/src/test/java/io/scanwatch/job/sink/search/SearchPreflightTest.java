package io.scanwatch.job.sink.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials refused at start. The local search nodes run without a security plugin, so the refusal comes from a
 * socket that answers as OpenSearch's security plugin does to a wrong password.
 */
class SearchPreflightTest {
    private HttpServer secured;

    @BeforeEach
    void start() throws Exception {
        secured = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secured.createContext("/", exchange -> {
            byte[] body = "Unauthorized".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        secured.start();
    }

    @AfterEach
    void stop() {
        secured.stop(0);
    }

    @Test
    void refusedCredentialsEndTheStartWithoutShowingThem() {
        String url = "http://127.0.0.1:" + secured.getAddress().getPort();
        SearchConfig config = Detectors.configLoader()
                .load(
                        null,
                        Map.of(
                                "search.urls",
                                "['" + url + "']",
                                "search.username",
                                "analyst",
                                "search.password",
                                "hunter2-secret"))
                .search();
        assertThatThrownBy(() -> SearchPreflight.warnings(config, Duration.ofSeconds(10), Instant.now()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("search: [" + url + "] refused scanwatch's credentials (HTTP 401): check search.username"
                        + " and search.password, or search.api-key")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aNodeThatDoesNotAnswerIsOnlyAWarning() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        SearchConfig config = Detectors.configLoader()
                .load(null, Map.of("search.urls", "['http://127.0.0.1:" + closed + "']"))
                .search();
        assertThat(SearchPreflight.warnings(config, Duration.ofSeconds(2), Instant.now()))
                .singleElement()
                .satisfies(warning -> assertThat(warning).startsWith("no search node at"));
    }

    @Test
    void aHostNameThatDoesNotResolveIsSaidSo() {
        // .invalid never resolves (RFC 2606): a typo in search.urls, not a node that is down. The request's time
        // runs while the name is looked up: a slow resolver must not turn the answer into a timeout.
        SearchConfig config = Detectors.configLoader()
                .load(null, Map.of("search.urls", "['http://search.invalid:9200']"))
                .search();
        assertThat(SearchPreflight.warnings(config, Duration.ofSeconds(30), Instant.now()))
                .singleElement()
                .satisfies(warning -> assertThat(warning)
                        .startsWith("no search node at [http://search.invalid:9200] answered within 30 s (its host"
                                + " name does not resolve)"));
    }
}
