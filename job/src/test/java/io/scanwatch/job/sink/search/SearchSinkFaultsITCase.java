package io.scanwatch.job.sink.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import io.scanwatch.job.testing.TestCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a real node gives only by chance, from a socket that answers {@code _bulk} as a node would, or fails as one
 * does, or a proxy before it: a 503 after a quiet spell, an outage longer than the writer's backlog under
 * checkpoints, an answer whose body stops coming, a body limit below a batch's bytes. {@code SearchSinkITCase} runs the
 * sink against real nodes.
 */
class SearchSinkFaultsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    /** Documents the job has handed to the sink, and checkpoints completed: counted in the job, read here. */
    private static final Tally HANDED = new Tally();

    private static final Tally CHECKPOINTS = new Tally();

    private ScriptedNode node;

    @BeforeEach
    void start() throws IOException {
        HANDED.reset();
        CHECKPOINTS.reset();
        node = new ScriptedNode();
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    /** Before, the clock ran from the last success: a 503 after a quiet spell failed the job at once. */
    @Test
    void aFailureAfterAQuietSpellIsRetriedNotTakenForAnOutage() throws Exception {
        node.next(Answer.OK, Answer.DOWN, Answer.DOWN);
        JobClient job = run(2, Duration.ofSeconds(2), 0, new Paced(2500), Duration.ofSeconds(5), 1);

        job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        assertThat(node.indexed).containsExactlyInAnyOrder("doc-1", "doc-2");
        assertThat(node.requests.get()).as("doc-2 tried three times").isGreaterThanOrEqualTo(4);
    }

    /**
     * Past the writer's backlog (16 documents at a batch of one), batches are held back in flight; a checkpoint waits
     * for every request in flight, so before, no checkpoint completed until the node came back, and the input stopped
     * once four were held. Past the backlog the documents come slower than checkpoints (one in three intervals), so
     * that each checkpoint takes in what was held since the last one; faster, more than four batches held within one
     * interval leave Flink nothing to send them with, and the input and checkpoints wait for the cluster
     * (backpressure).
     */
    @Test
    void checkpointsGoOnThroughAnOutageLongerThanTheBacklog() throws Exception {
        node.otherwise(Answer.DOWN);
        JobClient job = run(40, Duration.ofMinutes(1), 100, Paced.slowerFrom(40, 18, 300), Duration.ofSeconds(5), 1);

        HANDED.awaitAtLeast(30, "documents past the backlog and four held ones handed in");
        CHECKPOINTS.awaitAtLeast(CHECKPOINTS.get() + 2, "checkpoints while the node is down");
        assertThat(node.indexed).isEmpty();

        node.otherwise(Answer.OK);
        job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        assertThat(node.indexed)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, 40).mapToObj(n -> "doc-" + n).toList());
    }

    /**
     * On Java 17 an answer's headers end the request's own timeout: before, a retry whose answer's body never came
     * held its alerts, and every later one, for ever (a first attempt had Flink's own timeout behind it).
     */
    @Test
    void aRetryWhoseAnswerStopsComingIsRetriedAgain() throws Exception {
        node.next(Answer.DOWN, Answer.STALL);
        JobClient job = run(1, Duration.ofMinutes(1), 0, new Paced(0), Duration.ofSeconds(1), 1);

        job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        assertThat(node.indexed).containsExactly("doc-1");
        assertThat(node.requests.get()).as("past the stalled answer").isGreaterThanOrEqualTo(3);
    }

    /** Behind a proxy whose body limit is below a batch's bytes: before, the job failed at its first batch. */
    @Test
    void batchesShrinkToWhatAProxyTakes() throws Exception {
        node.otherwise(Answer.ONE_AT_A_TIME);
        // Four at once, then four more after a pause, when nothing waits: a batch larger than the proxy took.
        JobClient job = run(8, Duration.ofMinutes(1), 0, new Paced(0, 0, 0, 1500, 0), Duration.ofSeconds(5), 4);

        job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        assertThat(node.indexed)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, 8).mapToObj(n -> "doc-" + n).toList());
        assertThat(node.largest.get()).as("the batch sent whole at first").isEqualTo(4);
        assertThat(node.requests.get())
                .as("once a request too large is known, larger ones are not sent: 4, 2, 1 + 1 + 1 + 1, then 4 x 1")
                .isLessThanOrEqualTo(10);
    }

    /**
     * Documents {@code doc-1} to {@code doc-n} into the node, in batches of up to {@code maxBatch}.
     *
     * @param checkpointEvery milliseconds, 0 for none
     * @param pace the input's pace: milliseconds before each document after the first
     */
    private JobClient run(
            long documents,
            Duration progressTimeout,
            long checkpointEvery,
            Paced pace,
            Duration requestTimeout,
            int maxBatch)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // A failure is the finding, not something to restart from.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        if (checkpointEvery > 0) {
            env.enableCheckpointing(checkpointEvery);
        }
        SearchConfig config = new SearchConfig(
                List.of(node.url()),
                "alerts",
                "dead",
                "",
                "",
                "",
                "",
                maxBatch,
                Duration.ofMillis(100),
                requestTimeout,
                progressTimeout);
        ElementConverter<Long, BulkAction> documentOf = (n, context) ->
                new BulkAction("alerts", "doc-" + n, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
        env.fromSequence(1, documents).map(pace).sinkTo(new SearchSink<>(documentOf, config));
        return env.executeAsync("search sink faults");
    }

    /** A count the job raises and the test waits on, woken at each step. */
    private static final class Tally {
        private int count;

        synchronized void reset() {
            count = 0;
        }

        synchronized int get() {
            return count;
        }

        synchronized void increment() {
            count++;
            notifyAll();
        }

        /** Fails, saying {@code what} did not come, when the count has not reached {@code target} within a minute. */
        synchronized void awaitAtLeast(int target, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (count < target) {
                long left = deadline - System.nanoTime();
                assertThat(left).as(what + " (" + count + " of " + target + ")").isPositive();
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** The input at a pace (each document after the first a pause later), counting what it hands on. */
    private static final class Paced extends RichMapFunction<Long, Long> implements CheckpointListener {
        /** Before document 2, 3, ...: the last one stands for those after it. */
        private final long[] pausesMillis;

        Paced(long... pausesMillis) {
            this.pausesMillis = pausesMillis;
        }

        /** {@code first} before each of the documents 2 to {@code until - 1}, {@code then} before each from it on. */
        static Paced slowerFrom(long first, int until, long then) {
            long[] pauses = new long[until - 1];
            java.util.Arrays.fill(pauses, first);
            pauses[until - 2] = then;
            return new Paced(pauses);
        }

        @Override
        public Long map(Long n) throws InterruptedException {
            long pause = n < 2 ? 0 : pausesMillis[(int) Math.min(n - 2, pausesMillis.length - 1)];
            if (pause > 0) {
                Thread.sleep(pause);
            }
            HANDED.increment();
            return n;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.increment();
        }
    }

    private enum Answer {
        /** Every document indexed. */
        OK,
        /** 503 for the whole request. */
        DOWN,
        /** 200 and the body's length, then nothing. */
        STALL,
        /** 413 for a request of more than one document, as a proxy with a small body limit answers. */
        ONE_AT_A_TIME
    }

    /** A node that answers each {@code _bulk} as scripted, then as told otherwise, and keeps what it indexed. */
    private static final class ScriptedNode {
        final Set<String> indexed = ConcurrentHashMap.newKeySet();
        final AtomicInteger requests = new AtomicInteger();
        /** The most documents one request held. */
        final AtomicInteger largest = new AtomicInteger();

        private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
        private volatile Answer otherwise = Answer.OK;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpServer server;

        ScriptedNode() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/_bulk", this::bulk);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void next(Answer... answers) {
            script.addAll(List.of(answers));
        }

        void otherwise(Answer answer) {
            otherwise = answer;
        }

        private void bulk(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            List<String> ids = ids(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            largest.accumulateAndGet(ids.size(), Math::max);
            Answer answer = script.isEmpty() ? otherwise : script.poll();
            if (answer == Answer.ONE_AT_A_TIME && ids.size() > 1) {
                respond(exchange, 413, "<html><center><h1>413 Request Entity Too Large</h1></center></html>");
                return;
            }
            if (answer == Answer.DOWN) {
                respond(exchange, 503, "{\"error\":\"unavailable\",\"status\":503}");
                return;
            }
            String items = ids.stream()
                    .map(id -> "{\"index\":{\"_index\":\"alerts\",\"_id\":\"" + id + "\",\"status\":201}}")
                    .collect(Collectors.joining(","));
            byte[] body = ("{\"took\":1,\"errors\":false,\"items\":[" + items + "]}").getBytes(StandardCharsets.UTF_8);
            if (answer == Answer.STALL) {
                exchange.sendResponseHeaders(200, body.length);
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            indexed.addAll(ids);
            respond(exchange, 200, new String(body, StandardCharsets.UTF_8));
        }

        /** The ids of the action lines, every other line of the NDJSON body. */
        private static List<String> ids(String ndjson) {
            String[] lines = ndjson.split("\n");
            return LongStream.range(0, lines.length / 2)
                    .mapToObj(i -> lines[(int) i * 2].replaceAll(".*\"_id\":\"([^\"]*)\".*", "$1"))
                    .toList();
        }

        private static void respond(HttpExchange exchange, int status, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        void stop() {
            stopped.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
