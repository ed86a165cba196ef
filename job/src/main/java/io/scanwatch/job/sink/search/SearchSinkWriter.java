package io.scanwatch.job.sink.search;

import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches as {@code _bulk} requests and reads the verdict of every document: done, retried after a growing
 * pause (429, 5xx, or the whole request failing), or rejected into the dead-letter index with the cluster's
 * reason. The job fails only when nothing has gone through for the progress timeout.
 *
 * <p>Documents waiting for a retry leave Flink's requests in flight and wait here, in checkpoints too: a checkpoint
 * waits for every request in flight, so a search cluster that is down would otherwise hold up the checkpoints, and
 * with them the alerts that checkpoints commit to Kafka.
 */
final class SearchSinkWriter<T> extends AsyncSinkWriter<T, BulkAction> {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSinkWriter.class);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 60_000;

    private final SearchConnection connection;
    private final String deadLetterIndex;
    private final int maxBatch;
    private final long progressTimeoutNanos;
    private final ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "search-sink-retries");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter indexed;
    private final Counter retried;
    private final Counter rejected;

    /** Documents whose last attempt failed, until one succeeds; guarded by itself. */
    private final List<BulkAction> waiting = new ArrayList<>();
    /** Whether a retry of the waiting documents is scheduled or under way; guarded by {@link #waiting}. */
    private boolean retrying;
    /** What stops the job, found off the task's thread and thrown on it. */
    private volatile IOException failure;

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
        this.maxBatch = config.maxBatch();
        this.progressTimeoutNanos = config.progressTimeout().toNanos();
        var metrics = context.metricGroup().addGroup("search");
        this.indexed = metrics.counter("indexed");
        this.retried = metrics.counter("retried");
        this.rejected = metrics.counter("rejected");
        metrics.gauge("bulk-latency-ms", () -> lastBulkMillis);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        rethrowFailure();
        super.write(element, context);
    }

    /**
     * Hands documents whose attempt failed over to {@link #waiting}: Flink's request is then complete. While others
     * wait, a batch joins them without an attempt of its own, so that an outage is tried once a pause.
     */
    @Override
    protected void submitRequestEntries(List<BulkAction> batch, ResultHandler<BulkAction> result) {
        synchronized (waiting) {
            if (!waiting.isEmpty()) {
                waiting.addAll(batch);
                retried.inc(batch.size());
                result.complete();
                return;
            }
        }
        attempt(batch).whenComplete((again, error) -> {
            if (error != null) {
                result.completeExceptionally(cause(error));
            } else {
                waitForRetry(again, List.of());
                result.complete();
            }
        });
    }

    /**
     * One {@code _bulk} request and the documents to try again, with why; fails when no retry can help.
     * Documents the cluster refuses are sent again at once as dead letters.
     */
    private CompletableFuture<Retry> attempt(List<BulkAction> batch) {
        long sent = System.nanoTime();
        return connection
                .post("_bulk", body(batch))
                .handle((response, error) -> {
                    lastBulkMillis = (System.nanoTime() - sent) / 1_000_000;
                    if (error != null && rootCause(error) instanceof javax.net.ssl.SSLException) {
                        // TLS that does not work (https to a plain-HTTP node, an untrusted certificate) never will.
                        throw new CompletionException(
                                new IOException("TLS to the search cluster " + connection.describe() + " failed: "
                                        + rootCause(error).getMessage()));
                    }
                    if (error != null) {
                        Throwable cause = rootCause(error);
                        return CompletableFuture.completedFuture(new Retry(
                                batch,
                                cause.getClass().getSimpleName()
                                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
                    }
                    if (response.statusCode() != 200) {
                        String reason = "HTTP " + response.statusCode() + " from " + connection.describe() + ": "
                                + excerpt(response.body());
                        if (BulkVerdict.of(response.statusCode()) != BulkVerdict.RETRY) {
                            // Authentication, a missing privilege, a wrong path: no retry will help, and alerts must
                            // not vanish.
                            throw new CompletionException(
                                    new IOException("the search cluster refused the alerts: " + reason));
                        }
                        return CompletableFuture.completedFuture(new Retry(batch, reason));
                    }
                    try {
                        return judge(batch, BulkVerdict.items(response.body(), batch.size()));
                    } catch (IOException e) {
                        return CompletableFuture.completedFuture(
                                new Retry(batch, "the response could not be read: " + e.getMessage()));
                    }
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<Retry> judge(List<BulkAction> batch, List<BulkVerdict.Item> items) {
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
                        throw new CompletionException(new IOException("the search cluster refused alert "
                                + batch.get(i).id() + " and its dead letter in " + deadLetterIndex + " ("
                                + item.status() + " " + item.error() + "): check that index's mapping"));
                    }
                    rejected.inc();
                    refused.add(deadLetter(batch.get(i), item));
                }
            }
        }
        lastProgress = System.nanoTime();
        failuresInARow = 0;
        Retry retry = new Retry(again, retryReason);
        if (refused.isEmpty()) {
            return CompletableFuture.completedFuture(retry);
        }
        LOG.warn("{} alert(s) refused by the search cluster, indexed into {} instead", refused.size(), deadLetterIndex);
        return attempt(refused).thenApply(retry::and);
    }

    /** Documents to send again, and the cluster's words or the error for why. */
    private record Retry(List<BulkAction> documents, String reason) {
        Retry and(Retry other) {
            List<BulkAction> both = new ArrayList<>(documents);
            both.addAll(other.documents);
            return new Retry(both, reason != null ? reason : other.reason);
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

    /**
     * Puts the documents of a failed attempt among the waiting ones, in place of {@code tried} (waiting documents
     * just tried), in one step: a checkpoint sees each document either way. Schedules their retry after a pause.
     */
    private void waitForRetry(Retry retry, List<BulkAction> tried) {
        if (!retry.documents().isEmpty() && System.nanoTime() - lastProgress > progressTimeoutNanos) {
            fail(new IOException("no alert reached the search cluster " + connection.describe()
                    + " for the progress timeout; last: " + retry.reason()));
            return;
        }
        boolean schedule;
        synchronized (waiting) {
            waiting.subList(0, tried.size()).clear();
            waiting.addAll(retry.documents());
            schedule = !waiting.isEmpty() && !retrying;
            retrying |= schedule;
            waiting.notifyAll();
        }
        retried.inc(retry.documents().size());
        if (!schedule) {
            return;
        }
        if (retry.documents().isEmpty()) {
            // The rest of a backlog larger than one batch, at once: the last attempt got through.
            pauses.execute(this::retryWaiting);
            return;
        }
        int failures = ++failuresInARow;
        long pause = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failures, 20));
        String message =
                "search cluster " + connection.describe() + " busy or unreachable ({}); retrying {} alert(s) in {} ms";
        if (failures == 1) {
            // Shown by the standalone jar's logging, which keeps INFO quiet: the user learns where alerts wait.
            LOG.warn(message, retry.reason(), retry.documents().size(), pause);
        } else {
            LOG.info(message, retry.reason(), retry.documents().size(), pause);
        }
        pauses.schedule(this::retryWaiting, pause, TimeUnit.MILLISECONDS);
    }

    /** Sends the waiting documents again; they stay waiting, in checkpoints too, until their attempt is over. */
    private void retryWaiting() {
        List<BulkAction> batch;
        synchronized (waiting) {
            batch = List.copyOf(waiting.subList(0, Math.min(maxBatch, waiting.size())));
        }
        attempt(batch).whenComplete((again, error) -> {
            synchronized (waiting) {
                retrying = false;
            }
            if (error != null) {
                fail(cause(error));
            } else {
                waitForRetry(again, batch);
            }
        });
    }

    /** The failure itself, out of the future's wrapping. */
    private static IOException cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    /** Fails the job at its next record or flush; the waiting documents stay, as the last checkpoint holds them. */
    private void fail(IOException cause) {
        synchronized (waiting) {
            failure = cause;
            waiting.notifyAll();
        }
    }

    private void rethrowFailure() throws IOException {
        IOException cause = failure;
        if (cause != null) {
            throw cause;
        }
    }

    /** At the end of the input, also waits for the documents waiting for a retry to go through, or the job to fail. */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        super.flush(endOfInput);
        if (endOfInput) {
            synchronized (waiting) {
                while (!waiting.isEmpty() && failure == null) {
                    waiting.wait();
                }
            }
        }
        IOException cause = failure;
        if (cause != null) {
            throw new UncheckedIOException(cause.getMessage(), cause);
        }
    }

    @Override
    public List<BufferedRequestState<BulkAction>> snapshotState(long checkpointId) {
        List<BufferedRequestState<BulkAction>> state = new ArrayList<>(super.snapshotState(checkpointId));
        synchronized (waiting) {
            if (!waiting.isEmpty()) {
                state.add(new BufferedRequestState<>(waiting.stream()
                        .map(action -> new RequestEntryWrapper<>(action, action.sizeInBytes()))
                        .toList()));
            }
        }
        return state;
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
