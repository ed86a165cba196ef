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
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches as {@code _bulk} requests and reads the verdict of every document: done, retried after a growing
 * pause (429, 5xx, or the whole request failing), or rejected into the dead-letter index with the cluster's
 * reason. The job fails only when nothing has gone through for the progress timeout since an attempt first failed.
 * A bulk too large for a proxy before the cluster lowers the batches' bytes, and waits for a retry ({@link #tooLarge}).
 *
 * <p>A checkpoint waits for every request Flink has in flight, so documents waiting for a retry leave Flink's
 * requests (completed) and wait here: a search cluster that is down must hold up neither the checkpoints nor the
 * alerts that checkpoints commit to Kafka. The rules that keep every document in each checkpoint, all under
 * {@link #lock}: a document whose attempt failed is in {@link #waiting} before Flink's request completes; the one
 * retry under way takes its documents from {@link #waiting} into {@link #trying}, and puts those that failed again
 * back at the head of {@link #waiting} in the same step; {@link #snapshotState} writes both. While documents wait,
 * new batches join them without an attempt of their own (the cluster is tried once a pause), up to
 * {@link #maxWaiting}; past it, their requests stay in flight until the backlog drains, which holds the input back,
 * or until the next checkpoint, which takes them in with the rest rather than wait for a cluster that is down, up to
 * {@link #ceiling} documents waiting: past that, backpressure holds the checkpoints too, so that a cluster that takes
 * less than comes (a 429 for most of each bulk, which is progress) cannot grow the backlog without end. So does a
 * fifth batch held within one checkpoint interval: Flink waits for a request to send it with, on the task's thread.
 */
final class SearchSinkWriter<T> extends AsyncSinkWriter<T, BulkAction> {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSinkWriter.class);
    private static final long FIRST_PAUSE_MILLIS = 100;
    static final long LONGEST_PAUSE_MILLIS = 60_000;
    private static final int TOO_LARGE = 413;
    /** {@link #failingSince} while documents go through. */
    private static final long GOING = Long.MIN_VALUE;
    /** Of a refused alert in its dead letter: with the reason, the letter stays within a document's megabyte. */
    private static final int MAX_RAW_CHARS = 100_000;

    /** The writer's metrics: {@code search.indexed} (alerts), {@code .retried}, {@code .rejected} (dead-lettered). */
    static final String METRIC_GROUP = "search";

    static final String INDEXED = "indexed";
    static final String REJECTED = "rejected";

    private final SearchConnection connection;
    private final String deadLetterIndex;
    private final int maxBatch;
    /**
     * A batch's bytes at most: the sink's, or half of a batch that was too large for the cluster's proxy; only ever
     * lowered, by requests that may answer at once.
     */
    private final AtomicLong batchBytes;

    private final int maxWaiting;
    /** The most documents a checkpoint takes in to wait rather than wait for itself: four backlogs. */
    private final int ceiling;

    private final long progressTimeoutNanos;
    private final ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "search-sink-retries");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter indexed;
    private final Counter retried;
    private final Counter rejected;

    private final Object lock = new Object();
    /** Documents whose last attempt failed, oldest first. */
    private final List<BulkAction> waiting = new ArrayList<>();
    /** The documents of the retry under way. */
    private List<BulkAction> trying = List.of();
    /** Batches that came while {@link #maxWaiting} documents waited, their Flink requests kept in flight. */
    private final List<Held> held = new ArrayList<>();
    /** Whether a retry is scheduled or under way: one at a time. */
    private boolean retrying;
    /**
     * Whether a checkpoint is waiting for the requests in flight: a batch that Flink sends then (a held one's
     * completion frees its slot, and Flink's buffer may hold a full batch) waits with the others rather than hold
     * the checkpoint up. Guarded by {@link #lock}.
     */
    private boolean checkpointing;

    private IOException failure;

    /**
     * When an attempt failed with nothing gone through since, in {@link System#nanoTime()}'s terms; {@link #GOING}
     * while documents go through. Not the last success: after a quiet hour, the first failure is the outage's start.
     * Guarded by {@link #lock}.
     */
    private long failingSince = GOING;

    private volatile long lastBulkMillis;
    /** Attempts in a row through which nothing went; guarded by {@link #lock}. */
    private int failuresInARow;
    /** Guarded by {@link #lock}. */
    private final OutageReport outage;

    private record Held(List<BulkAction> batch, ResultHandler<BulkAction> result) {}

    SearchSinkWriter(
            ElementConverter<T, BulkAction> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<BulkAction>> state,
            SearchConfig config) {
        super(converter, context, configuration, state);
        this.connection = new SearchConnection(config);
        this.deadLetterIndex = config.deadLetterIndex();
        this.maxBatch = configuration.getMaxBatchSize();
        this.batchBytes = new AtomicLong(configuration.getMaxBatchSizeInBytes());
        this.maxWaiting = configuration.getMaxBufferedRequests();
        this.ceiling = 4 * maxWaiting;
        this.progressTimeoutNanos = config.progressTimeout().toNanos();
        this.outage = new OutageReport(connection.describe(), config.progressTimeout());
        var metrics = context.metricGroup().addGroup(METRIC_GROUP);
        // Counted on the HTTP client's threads, several requests at once.
        this.indexed = metrics.counter(INDEXED, new ThreadSafeSimpleCounter());
        this.retried = metrics.counter("retried", new ThreadSafeSimpleCounter());
        this.rejected = metrics.counter(REJECTED, new ThreadSafeSimpleCounter());
        metrics.gauge("bulk-latency-ms", () -> lastBulkMillis);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        rethrowFailure();
        super.write(element, context);
    }

    @Override
    protected void submitRequestEntries(List<BulkAction> batch, ResultHandler<BulkAction> result) {
        synchronized (lock) {
            if (waiting.isEmpty() && trying.isEmpty() && bytes(batch) > batchBytes.get()) {
                // Larger than the cluster's proxy takes: a retry sends it in batches it takes.
                waiting.addAll(batch);
                if (!retrying) {
                    retrying = true;
                    pauses.execute(this::retryWaiting);
                }
                result.complete();
                return;
            }
            if (!waiting.isEmpty() || !trying.isEmpty()) {
                if (waiting.size() + trying.size() < (checkpointing ? ceiling : maxWaiting)) {
                    waiting.addAll(batch);
                    result.complete();
                } else {
                    held.add(new Held(batch, result));
                }
                return;
            }
        }
        attempt(batch).whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    result.completeExceptionally(cause(error));
                    return;
                }
                settle(outcome, List.of());
                result.complete();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * One {@code _bulk} request: the documents to try again, with why, and whether any went through. Fails when no
     * retry can help. Documents the cluster refuses are sent again at once as dead letters.
     */
    private CompletableFuture<Outcome> attempt(List<BulkAction> batch) {
        long sent = System.nanoTime();
        return connection
                .post("_bulk", body(batch))
                .handle((response, error) -> {
                    lastBulkMillis = (System.nanoTime() - sent) / 1_000_000;
                    if (error != null && rootCause(error) instanceof SSLException) {
                        // TLS that does not work (https to a plain-HTTP node, an untrusted certificate) never will.
                        throw new CompletionException(
                                new IOException("TLS to the search cluster " + connection.describe() + " failed: "
                                        + rootCause(error).getMessage()));
                    }
                    if (error != null) {
                        return CompletableFuture.completedFuture(Outcome.failed(batch, SearchConnection.why(error)));
                    }
                    if (response.statusCode() == TOO_LARGE) {
                        return tooLarge(batch, excerpt(response.body()));
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
                        return CompletableFuture.completedFuture(Outcome.failed(batch, reason));
                    }
                    try {
                        return judge(batch, BulkVerdict.items(response.body(), batch.size()));
                    } catch (IOException e) {
                        return CompletableFuture.completedFuture(
                                Outcome.failed(batch, "the response could not be read: " + e.getMessage()));
                    }
                })
                .thenCompose(next -> next);
    }

    /**
     * A request too large for what stands before the cluster (a proxy's body limit: nginx's is 1 MB, the batches up to
     * 5 MB): from now on batches are half its bytes at most, and its documents wait for a retry in such batches, a
     * request each, as any retry does; a document too large alone is refused, into the dead-letter index. Refused
     * whole, the same batch came back after every restart.
     */
    private CompletableFuture<Outcome> tooLarge(List<BulkAction> batch, String why) {
        if (batch.size() == 1) {
            return judge(
                    batch, List.of(new BulkVerdict.Item(BulkVerdict.REJECT, TOO_LARGE, "request too large: " + why)));
        }
        long half = Math.max(1, bytes(batch) / 2);
        if (batchBytes.getAndAccumulate(half, Math::min) > half) {
            LOG.warn(
                    "search cluster {} refused a bulk of {} bytes as too large (HTTP 413): batches of at most {} bytes"
                            + " from now on",
                    connection.describe(),
                    bytes(batch),
                    half);
        }
        return CompletableFuture.completedFuture(Outcome.failed(batch, "HTTP 413 (request too large): " + why));
    }

    private static long bytes(List<BulkAction> batch) {
        return batch.stream().mapToLong(BulkAction::sizeInBytes).sum();
    }

    private CompletableFuture<Outcome> judge(List<BulkAction> batch, List<BulkVerdict.Item> items) {
        List<BulkAction> again = new ArrayList<>();
        List<BulkAction> refused = new ArrayList<>();
        String retryReason = null;
        for (int i = 0; i < items.size(); i++) {
            BulkVerdict.Item item = items.get(i);
            switch (item.verdict()) {
                case DONE -> {
                    // A dead letter's own success is not an alert indexed: its alert counts as rejected.
                    if (!batch.get(i).index().equals(deadLetterIndex)) {
                        indexed.inc();
                    }
                }
                case RETRY -> {
                    again.add(batch.get(i));
                    retryReason = item.status() + " " + item.error();
                }
                case REFUSE ->
                    throw new CompletionException(new IOException("the search cluster refused alert "
                            + batch.get(i).id() + " in " + batch.get(i).index() + " (" + item.status() + " "
                            + item.error() + "): every alert would be refused there (a write block on the index, a"
                            + " role without the right to write to it, or a data stream, which takes only op_type create:"
                            + " name an index or an alias with a write index)"));
                case REJECT -> {
                    if (batch.get(i).index().equals(deadLetterIndex)) {
                        // Even the dead letter is refused: the alert has nowhere left to go, and must not vanish.
                        throw new CompletionException(new IOException("the search cluster refused alert "
                                + batch.get(i).id() + " and its dead letter in " + deadLetterIndex + " ("
                                + item.status() + " " + item.error() + "): "
                                + (item.status() == TOO_LARGE
                                        ? "raise the request body limit of what stands before the cluster (a proxy's)"
                                        : "check that index's mapping")));
                    }
                    rejected.inc();
                    refused.add(deadLetter(batch.get(i), item));
                }
            }
        }
        // A cluster answering every document with 429 takes nothing: that is no progress.
        Outcome outcome = new Outcome(again, retryReason, again.size() < batch.size());
        if (refused.isEmpty()) {
            return CompletableFuture.completedFuture(outcome);
        }
        LOG.warn("{} alert(s) refused by the search cluster, indexed into {} instead", refused.size(), deadLetterIndex);
        return attempt(refused).thenApply(outcome::and);
    }

    /** Documents to send again, with the cluster's words or the error for why, and whether any went through. */
    private record Outcome(List<BulkAction> again, String reason, boolean progress) {
        static Outcome failed(List<BulkAction> batch, String reason) {
            return new Outcome(batch, reason, false);
        }

        Outcome and(Outcome deadLetters) {
            List<BulkAction> both = new ArrayList<>(again);
            both.addAll(deadLetters.again);
            return new Outcome(both, reason != null ? reason : deadLetters.reason, progress || deadLetters.progress);
        }
    }

    /** A refused document becomes a dead letter: the raw alert as text (its start, if long), with the reason. */
    private BulkAction deadLetter(BulkAction action, BulkVerdict.Item item) {
        String raw = new String(action.document(), StandardCharsets.UTF_8);
        String letter = "{\"format\":\"scanwatch-alert\",\"reason\":"
                + BulkAction.quote(item.status() + " " + item.error()) + ",\"origin\":"
                + BulkAction.quote(action.index()) + ",\"raw\":"
                + BulkAction.quote(raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw) + "}";
        return new BulkAction(deadLetterIndex, action.id(), letter.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * After an attempt: the documents that failed wait, in place of {@code tried} (the retry's documents), in one
     * step, and a retry is scheduled if none is; a batch held back joins the waiting ones while there is room.
     */
    private void settle(Outcome outcome, List<BulkAction> tried) {
        long now = System.nanoTime();
        boolean timedOut;
        long pause;
        String told = null;
        List<Held> released = new ArrayList<>();
        synchronized (lock) {
            if (outcome.progress()) {
                failingSince = GOING;
            } else if (!outcome.again().isEmpty() && failingSince == GOING) {
                failingSince = now;
            }
            timedOut = !outcome.again().isEmpty() && failingSince != GOING && now - failingSince > progressTimeoutNanos;
            if (outcome.progress() && outcome.again().isEmpty()) {
                // A bulk the cluster took only part of (429 for the rest) ends no outage: each such try was told twice.
                told = outage.succeeded(now);
            }
            if (!tried.isEmpty()) {
                trying = List.of();
                retrying = false;
            }
            waiting.addAll(0, outcome.again());
            failuresInARow =
                    outcome.progress() ? 0 : failuresInARow + (outcome.again().isEmpty() ? 0 : 1);
            while (!held.isEmpty() && waiting.size() < maxWaiting) {
                Held next = held.remove(0);
                waiting.addAll(next.batch());
                released.add(next);
            }
            if (waiting.isEmpty() || retrying || timedOut) {
                pause = -1;
            } else {
                retrying = true;
                // A backlog after a success goes at once; documents refused again wait, longer after each failure.
                pause = outcome.again().isEmpty()
                        ? 0
                        : Math.min(
                                LONGEST_PAUSE_MILLIS,
                                FIRST_PAUSE_MILLIS << Math.min(Math.max(failuresInARow, 1) - 1, 20));
                if (pause > 0) {
                    told = outage.failed(now, outcome.reason(), outcome.again().size(), pause);
                }
            }
            lock.notifyAll();
        }
        if (told != null) {
            // Shown by the standalone jar's logging, which keeps INFO quiet: the user learns where alerts wait.
            LOG.warn(told);
        }
        released.forEach(next -> next.result().complete());
        if (!outcome.again().isEmpty()) {
            retried.inc(outcome.again().size());
        }
        if (timedOut) {
            fail(new IOException("no alert reached the search cluster " + connection.describe()
                    + " for the progress timeout; last: " + outcome.reason()));
            return;
        }
        if (pause < 0) {
            return;
        }
        pauses.schedule(this::retryWaiting, pause, TimeUnit.MILLISECONDS);
    }

    /** Sends the oldest waiting documents again, one batch's worth by count and bytes. */
    private void retryWaiting() {
        try {
            List<BulkAction> batch;
            synchronized (lock) {
                int count = 0;
                long bytes = 0;
                while (count < waiting.size()
                        && count < maxBatch
                        && (count == 0 || bytes + waiting.get(count).sizeInBytes() <= batchBytes.get())) {
                    bytes += waiting.get(count++).sizeInBytes();
                }
                batch = List.copyOf(waiting.subList(0, count));
                waiting.subList(0, count).clear();
                trying = batch;
                if (batch.isEmpty()) {
                    retrying = false;
                    lock.notifyAll();
                    return;
                }
            }
            attempt(batch).whenComplete((outcome, error) -> {
                try {
                    if (error != null) {
                        fail(cause(error));
                    } else {
                        settle(outcome, batch);
                    }
                } catch (RuntimeException e) {
                    fail(new IOException("retrying alerts failed", e));
                }
            });
        } catch (RuntimeException e) {
            fail(new IOException("retrying alerts failed", e));
        }
    }

    /** The failure itself, out of the future's wrapping. */
    private static IOException cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    /** Fails the job from any thread; the documents stay where they are, as the last checkpoint holds them. */
    private void fail(IOException cause) {
        synchronized (lock) {
            if (failure == null) {
                failure = cause;
            }
            lock.notifyAll();
        }
        getFatalExceptionCons().accept(cause);
    }

    private void rethrowFailure() throws IOException {
        synchronized (lock) {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * Before a checkpoint, which waits for every request in flight, takes in the batches held back and those Flink
     * sends meanwhile, up to {@link #ceiling} documents waiting, so that a cluster that is down does not hold the
     * checkpoint up; at the end of the input, also waits until no document waits, or the job fails.
     */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (endOfInput) {
            super.flush(true);
        } else {
            takeInHeld();
            try {
                super.flush(false);
            } finally {
                synchronized (lock) {
                    checkpointing = false;
                }
            }
        }
        synchronized (lock) {
            while (endOfInput && failure == null && !(waiting.isEmpty() && trying.isEmpty() && held.isEmpty())) {
                lock.wait();
            }
            if (failure != null) {
                throw new UncheckedIOException(failure.getMessage(), failure);
            }
        }
    }

    /** For a checkpoint: the held batches wait with the others, their Flink requests completed. */
    private void takeInHeld() {
        List<Held> released = new ArrayList<>();
        synchronized (lock) {
            checkpointing = true;
            while (!held.isEmpty() && waiting.size() + trying.size() < ceiling) {
                Held next = held.remove(0);
                waiting.addAll(next.batch());
                released.add(next);
            }
        }
        released.forEach(next -> next.result().complete());
    }

    @Override
    public List<BufferedRequestState<BulkAction>> snapshotState(long checkpointId) {
        List<BufferedRequestState<BulkAction>> state = new ArrayList<>(super.snapshotState(checkpointId));
        synchronized (lock) {
            List<RequestEntryWrapper<BulkAction>> documents = new ArrayList<>();
            trying.forEach(action -> documents.add(new RequestEntryWrapper<>(action, action.sizeInBytes())));
            waiting.forEach(action -> documents.add(new RequestEntryWrapper<>(action, action.sizeInBytes())));
            if (!documents.isEmpty()) {
                state.add(new BufferedRequestState<>(documents));
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
