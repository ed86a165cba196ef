package io.scanwatch.job.sink.search;

import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP to the cluster's nodes, round-robin, with basic or API-key authentication and an optional CA. The
 * credentials go into a header only: never into a URL, a log line or an exception message.
 */
final class SearchConnection {
    private final HttpClient client;
    private final List<URI> nodes;
    private final String authorization;
    private final java.time.Duration timeout;
    private final AtomicInteger next = new AtomicInteger();

    SearchConnection(SearchConfig config) {
        this.nodes = config.urls().stream()
                .map(url -> URI.create(url.endsWith("/") ? url : url + "/"))
                .toList();
        this.timeout = config.requestTimeout();
        if (!config.apiKey().isEmpty()) {
            authorization = "ApiKey " + config.apiKey();
        } else if (!config.username().isEmpty()) {
            String pair = config.username() + ":" + config.password();
            authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (!config.caFile().isEmpty()) {
            builder.sslContext(trusting(Path.of(config.caFile())));
        }
        this.client = builder.build();
    }

    /** POSTs NDJSON to {@code path} on the next node. */
    CompletableFuture<HttpResponse<byte[]>> post(String path, byte[] ndjson) {
        URI node = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
        HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        // The request's own timeout ends when the headers come: a body that stops coming (a node dying mid-answer, a
        // half-open connection) would hold the attempt, and the alerts behind it, for ever. Cancelled, the exchange
        // gives its connection up rather than keep it open for the rest of the body.
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<HttpResponse<byte[]>> bounded =
                exchange.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        bounded.whenComplete((response, error) -> {
            if (error instanceof TimeoutException) {
                exchange.cancel(true);
            }
        });
        return bounded;
    }

    /** A node's answer: its status and body, or why no node answered ({@code unanswered}, the rest empty). */
    record Reply(int status, byte[] body, String unanswered) {}

    /**
     * {@code method path} without a body, to each node in turn until one answers within {@code timeout}, whatever the
     * status: for checks at start, one at a time.
     */
    Reply ask(String method, String path, java.time.Duration timeout) throws InterruptedException {
        String why = null;
        for (URI node : nodes) {
            HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path))
                    .timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new Reply(response.statusCode(), response.body(), null);
            } catch (IOException e) {
                why = why(e);
            }
        }
        return new Reply(0, new byte[0], why);
    }

    /**
     * A failed request in a few words: the first exception of the chain that says something, with its kind. Java's
     * client refuses a connection as a ConnectException over a ClosedChannelException, which alone says little.
     */
    static String why(Throwable failure) {
        Throwable first = failure;
        while (first instanceof java.util.concurrent.CompletionException && first.getCause() != null) {
            first = first.getCause();
        }
        for (Throwable cause = first; cause != null; cause = cause.getCause()) {
            // Java's client says only "ConnectException" of a name that does not resolve: a typo looks like a node
            // down.
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "its host name does not resolve";
            }
            if (cause instanceof TimeoutException) {
                return "no whole answer within search.request-timeout";
            }
        }
        for (Throwable cause = first; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return first.getClass().getSimpleName();
    }

    /** Where requests go, for messages: scheme, host and port only. */
    String describe() {
        return nodes.stream().map(SearchConnection::shown).toList().toString();
    }

    /** The first node, as {@link #describe()} shows it. */
    String firstNode() {
        return shown(nodes.get(0));
    }

    private static String shown(URI node) {
        return node.getScheme() + "://" + node.getHost() + (node.getPort() < 0 ? "" : ":" + node.getPort());
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "search.ca-file " + caFile + " holds no usable certificate: " + e.getMessage());
        }
    }
}
