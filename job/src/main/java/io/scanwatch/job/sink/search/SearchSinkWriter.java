package io.scanwatch.job.sink.search;

import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches as {@code _bulk} requests and reads the verdict of every document: done, retried after a growing
 * pause (429, 5xx, or the whole request failing), or rejected into the dead-letter index with the cluster's
 * reason. The job fails only when nothing has gone through for the progress timeout.
 */
final class SearchSinkWriter<T> extends AsyncSinkWriter<T, BulkAction> {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSinkWriter.class);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 60_000;

    private final SearchConnection connection;
    private final String deadLetterIndex;
    private final long progressTimeoutNanos;
    private final java.time.Duration progressTimeout;
    private final ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "search-sink-retries");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter indexed;
    private final Counter retried;
    private final Counter rejected;

    private volatile long lastProgress = System.nanoTime();
    private volatile long lastBulkMillis;
    private volatile int failuresInARow;

    SearchSinkWriter(
            ElementConverter<T, BulkAction> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<BulkAction>> state,
            SearchConfig config) {
        super(converter, context, configuration, state);
        this.connection = new SearchConnection(config);
        this.deadLetterIndex = config.deadLetterIndex();
        this.progressTimeoutNanos = config.progressTimeout().toNanos();
        this.progressTimeout = config.progressTimeout();
        var metrics = context.metricGroup().addGroup("search");
        this.indexed = metrics.counter("indexed");
        this.retried = metrics.counter("retried");
        this.rejected = metrics.counter("rejected");
        metrics.gauge("bulk-latency-ms", () -> lastBulkMillis);
    }

    @Override
    protected void submitRequestEntries(List<BulkAction> batch, ResultHandler<BulkAction> result) {
        long sent = System.nanoTime();
        connection.post("_bulk", body(batch)).whenComplete((response, failure) -> {
            lastBulkMillis = (System.nanoTime() - sent) / 1_000_000;
            try {
                if (failure != null && rootCause(failure) instanceof javax.net.ssl.SSLException) {
                    // TLS that does not work (https to a plain-HTTP node, an untrusted certificate) never will.
                    result.completeExceptionally(new IOException("TLS to the search cluster " + connection.describe()
                            + " failed: " + rootCause(failure).getMessage()));
                } else if (failure != null) {
                    Throwable cause = rootCause(failure);
                    retryLater(
                            batch,
                            result,
                            cause.getClass().getSimpleName()
                                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                } else if (response.statusCode() != 200) {
                    handleWholeRequest(batch, result, response);
                } else {
                    handleItems(batch, result, BulkVerdict.items(response.body(), batch.size()));
                }
            } catch (IOException | RuntimeException e) {
                retryLater(batch, result, "the response could not be read: " + e.getMessage());
            }
        });
    }

    private void handleWholeRequest(
            List<BulkAction> batch, ResultHandler<BulkAction> result, HttpResponse<byte[]> response) {
        String reason =
                "HTTP " + response.statusCode() + " from " + connection.describe() + ": " + excerpt(response.body());
        if (BulkVerdict.of(response.statusCode()) == BulkVerdict.RETRY) {
            retryLater(batch, result, reason);
        } else {
            // Authentication, a missing privilege, a wrong path: no retry will help, and alerts must not vanish.
            result.completeExceptionally(new IOException("the search cluster refused the alerts: " + reason));
        }
    }

    private void handleItems(List<BulkAction> batch, ResultHandler<BulkAction> result, List<BulkVerdict.Item> items) {
        List<BulkAction> again = new ArrayList<>();
        List<BulkAction> refused = new ArrayList<>();
        String retryReason = null;
        for (int i = 0; i < items.size(); i++) {
            BulkVerdict.Item item = items.get(i);
            switch (item.verdict()) {
                case DONE -> indexed.inc();
                case RETRY -> {
                    again.add(batch.get(i));
                    retryReason = item.status() + " " + item.error();
                }
                case REJECT -> {
                    if (batch.get(i).index().equals(deadLetterIndex)) {
                        // Even the dead letter is refused: the alert has nowhere left to go, and must not vanish.
                        result.completeExceptionally(new IOException("the search cluster refused alert "
                                + batch.get(i).id() + " and its dead letter in " + deadLetterIndex + " ("
                                + item.status()
                                + " " + item.error() + "): check that index's mapping"));
                        return;
                    }
                    rejected.inc();
                    refused.add(deadLetter(batch.get(i), item));
                }
            }
        }
        lastProgress = System.nanoTime();
        failuresInARow = 0;
        if (!refused.isEmpty()) {
            LOG.warn(
                    "{} alert(s) refused by the search cluster, indexed into {} instead",
                    refused.size(),
                    deadLetterIndex);
            again.addAll(refused);
        }
        if (again.isEmpty()) {
            result.complete();
        } else if (refused.size() == again.size()) {
            result.retryForEntries(again);
        } else {
            retryLater(again, result, retryReason);
        }
    }

    /** A refused document becomes a dead letter: the raw alert as text, with the cluster's reason. */
    private BulkAction deadLetter(BulkAction action, BulkVerdict.Item item) {
        String letter =
                "{\"format\":\"scanwatch-alert\",\"reason\":" + BulkAction.quote(item.status() + " " + item.error())
                        + ",\"origin\":" + BulkAction.quote(action.index()) + ",\"raw\":"
                        + BulkAction.quote(new String(action.document(), StandardCharsets.UTF_8)) + "}";
        return new BulkAction(deadLetterIndex, action.id(), letter.getBytes(StandardCharsets.UTF_8));
    }

    private void retryLater(List<BulkAction> batch, ResultHandler<BulkAction> result, String reason) {
        retried.inc(batch.size());
        if (System.nanoTime() - lastProgress > progressTimeoutNanos) {
            result.completeExceptionally(new IOException("no alert reached the search cluster " + connection.describe()
                    + " for the progress timeout; last: " + reason));
            return;
        }
        int failures = ++failuresInARow;
        long pause = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failures, 20));
        String message =
                "search cluster " + connection.describe() + " busy or unreachable ({}); retrying {} alert(s) in {} ms";
        if (failures == 1) {
            // Shown by the standalone jar's logging, which keeps INFO quiet: the user learns where alerts wait.
            LOG.warn(message, reason, batch.size(), pause);
        } else {
            LOG.info(message, reason, batch.size(), pause);
        }
        pauses.schedule(() -> result.retryForEntries(batch), pause, TimeUnit.MILLISECONDS);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static byte[] body(List<BulkAction> batch) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (BulkAction action : batch) {
            action.appendTo(body);
        }
        return body.toByteArray();
    }

    @Override
    protected long getSizeInBytes(BulkAction action) {
        return action.sizeInBytes();
    }

    @Override
    public void close() {
        pauses.shutdownNow();
        super.close();
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
