package io.scanwatch.job.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Zeek TSV header a partition's rows were written under, read back from the partition itself. A parser holds a
 * stream's header in memory, and a source restored from a checkpoint reads a partition from the middle of a log, its
 * header far behind (Zeek writes one with each new log file, hourly by default): without it every row until the next
 * header would be a dead letter. A Kafka split's state is its offset alone, so the header is found where it was
 * written instead: reading back from the offset, a step at a time, to the last {@code #separator} line (a header's
 * first), and handing on that header's lines and every {@code #} line after it, in order, as the parser saw them.
 *
 * <p>It runs where Kafka records are deserialized, on the source subtask's own thread: while it reads, the subtask
 * emits nothing and its checkpoint barrier waits. So every search of one subtask shares one time budget, a quarter
 * of the checkpoint timeout (30 s at most), and a partition searched once its budget is spent is not searched.
 */
final class HeaderLookback implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HeaderLookback.class);

    /**
     * Offsets read a step back: one or two megabytes of Zeek rows, a few fetches (a megabyte each by default), so a
     * header in the step nearest is found after little reading, and each step's seek costs little against its reads.
     */
    static final int STEP = 10_000;

    private static final Duration MAX_BUDGET = Duration.ofSeconds(30);

    private final Properties client;
    private final long limit;
    private final int step;
    private final long budgetNanos;
    /** The time this subtask's searches took: one instance per subtask, on its one thread. */
    private transient long spentNanos;

    /**
     * @param client the source's client properties, bootstrap servers included
     * @param limit records read back at most ({@code kafka.header-lookback}); 0 reads none
     * @param checkpointTimeout how long a checkpoint may take: searches stall it, so they take a quarter at most
     */
    HeaderLookback(Properties client, long limit, Duration checkpointTimeout) {
        this(client, limit, checkpointTimeout, STEP);
    }

    HeaderLookback(Properties client, long limit, Duration checkpointTimeout, int step) {
        this.client = client;
        this.limit = limit;
        this.step = step;
        Duration quarter = checkpointTimeout.dividedBy(4);
        this.budgetNanos = (quarter.compareTo(MAX_BUDGET) < 0 ? quarter : MAX_BUDGET).toNanos();
    }

    /** None: for parsing without a broker. */
    static HeaderLookback none() {
        return new HeaderLookback(new Properties(), 0, Duration.ZERO);
    }

    /**
     * The header lines in force at {@code offset} of the partition: from the last {@code #separator} before it, each
     * {@code #} line up to it; without one, the run of {@code #} lines around the last {@code #fields} (a shipper may
     * drop a header's first line). Empty when none lies within the limit, or the budget ran out first.
     */
    List<byte[]> before(String topic, int partition, long offset) {
        long left = budgetNanos - spentNanos;
        if (limit <= 0 || offset <= 0) {
            return List.of();
        }
        TopicPartition where = new TopicPartition(topic, partition);
        if (left <= 0) {
            LOG.warn(
                    "{}@{}: its Zeek header is not looked for: this source's searches took the time they may stall it"
                            + " (a quarter of checkpointing.timeout, 30 s at most); its TSV rows are dead letters until"
                            + " its next header",
                    where,
                    offset);
            return List.of();
        }
        long started = System.nanoTime();
        try (Search search = new Search(where, started + left)) {
            return search.back(offset);
        } catch (InterruptException e) {
            // Flink cancels the task: Kafka's exception has set the interrupt flag again for whatever waits next.
            return List.of();
        } catch (TimeoutException e) {
            LOG.warn("{}@{}: its Zeek header was not found in the time its source may stall for it", where, offset);
            return List.of();
        } catch (KafkaException e) {
            LOG.warn("{}@{}: the Zeek header before it could not be read back", where, offset, e);
            return List.of();
        } finally {
            spentNanos += System.nanoTime() - started;
        }
    }

    /** A {@code #} line and where it was. */
    private record HeaderLine(long offset, byte[] value) {}

    /** One search, with its own consumer, which is closed within the time left. */
    private final class Search implements AutoCloseable {
        private final TopicPartition where;
        private final long deadline;
        private final KafkaConsumer<byte[], byte[]> consumer;
        /**
         * Whether the search read JSON lines, and other records: JSON alone, all the way from the offset, is a JSON
         * topic whose stray line set the search off, with no header to find.
         */
        private boolean json;

        private boolean other;

        Search(TopicPartition where, long deadline) {
            this.where = where;
            this.deadline = deadline;
            Properties props = new Properties();
            props.putAll(client);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            // Below the log's start (retention moved it since it was read) a seek lands on the start.
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // Every step seeks back: a fetch still waiting at the old position for records to come (500 ms by
            // default) would hold up each step's first read.
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            String id = client.getProperty(ConsumerConfig.CLIENT_ID_CONFIG, "scanwatch");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, id + "-header-lookback-" + where);
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.assign(List.of(where));
        }

        List<byte[]> back(long offset) {
            long beginning = consumer.beginningOffsets(List.of(where), left()).get(where);
            List<HeaderLine> found = new ArrayList<>();
            long end = offset;
            while (end > beginning && offset - end < limit) {
                long from = Math.max(beginning, Math.max(end - step, offset - limit));
                List<HeaderLine> lines = headerLines(from, end);
                if (lines == null) {
                    LOG.warn(
                            "{}@{}: no Zeek header found back to offset {} in the time its source may stall for it",
                            where,
                            offset,
                            end);
                    return List.of();
                }
                if (json && !other) {
                    LOG.warn(
                            "{}@{}: the records before it are JSON lines, not a TSV log: no header to read back",
                            where,
                            offset);
                    return List.of();
                }
                int fresh = lines.size();
                lines.addAll(found);
                found = lines;
                int first = headerStart(found, fresh, from == beginning ? Long.MIN_VALUE : from);
                if (first >= 0) {
                    LOG.info(
                            "{}@{}: the Zeek header in force is {} offsets back",
                            where,
                            offset,
                            offset - found.get(first).offset());
                    return found.subList(first, found.size()).stream()
                            .map(HeaderLine::value)
                            .toList();
                }
                end = from;
            }
            LOG.warn(
                    "{}@{}: no Zeek header {}; its TSV rows are dead letters until its next header",
                    where,
                    offset,
                    end <= beginning
                            ? "since the partition's start, offset " + beginning
                            : "within the " + limit + " records before it (kafka.header-lookback)");
            return List.of();
        }

        /**
         * Where the header in force starts among the {@code #} lines found, in order, the first {@code fresh} of them
         * read in this step (the rest held no {@code #separator}): at the last {@code #separator}; without one, at the
         * start of the run of lines, one offset after another, that holds the last {@code #fields}, if that run starts
         * after {@code from} (else it may go on before: -1, to read a step further back). A transaction's marker
         * between two lines of a header cuts its run: the lines before it are missed, and their defaults stand.
         */
        private int headerStart(List<HeaderLine> lines, int fresh, long from) {
            for (int i = fresh - 1; i >= 0; i--) {
                if (startsWith(lines.get(i).value(), "#separator")) {
                    return i;
                }
            }
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (startsWith(lines.get(i).value(), "#fields")) {
                    int first = i;
                    while (first > 0
                            && lines.get(first - 1).offset() == lines.get(first).offset() - 1) {
                        first--;
                    }
                    return lines.get(first).offset() > from ? first : -1;
                }
            }
            return -1;
        }

        /**
         * The {@code #} lines at offsets {@code from} to {@code end} (excluded), in order; null past the deadline.
         * Notes whether JSON lines and other records were read.
         */
        private List<HeaderLine> headerLines(long from, long end) {
            consumer.seek(where, from);
            List<HeaderLine> lines = new ArrayList<>();
            while (true) {
                if (left().isZero()) {
                    return null;
                }
                if (consumer.position(where, left()) >= end) {
                    return lines;
                }
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(left()).records(where)) {
                    if (record.offset() >= end) {
                        return lines;
                    }
                    byte[] value = record.value();
                    boolean jsonLine = value != null && value.length > 0 && value[0] == '{';
                    json |= jsonLine;
                    other |= !jsonLine;
                    if (value != null && value.length > 0 && value[0] == '#') {
                        lines.add(new HeaderLine(record.offset(), value));
                    }
                }
            }
        }

        private Duration left() {
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }

        /** A consumer that fails to close has read what it read: the header found stands. */
        @Override
        public void close() {
            try {
                consumer.close(CloseOptions.timeout(left()));
            } catch (KafkaException e) {
                LOG.debug("{}: the header search's consumer did not close cleanly", where, e);
            }
        }
    }

    private static boolean startsWith(byte[] line, String prefix) {
        if (line.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
