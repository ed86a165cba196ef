package io.scanwatch.job.source;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
 */
final class HeaderLookback implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HeaderLookback.class);

    /** Records read a step back: a header is one line among many rows. */
    private static final int STEP = 10_000;
    /** A broker that stops answering ends the search, not the source. */
    private static final Duration PATIENCE = Duration.ofMinutes(1);

    private final Properties client;
    private final long limit;

    /**
     * @param client the source's client properties, bootstrap servers included
     * @param limit records read back at most ({@code kafka.header-lookback}); 0 reads none
     */
    HeaderLookback(Properties client, long limit) {
        this.client = client;
        this.limit = limit;
    }

    /**
     * The header lines in force at {@code offset} of the partition: from the last {@code #separator} before it, each
     * {@code #} line up to it (without one, every {@code #} line within the limit, if a {@code #fields} is among
     * them). Empty when none lies within the limit, or the brokers did not answer in time.
     */
    List<byte[]> before(String topic, int partition, long offset) {
        if (limit <= 0 || offset <= 0) {
            return List.of();
        }
        TopicPartition where = new TopicPartition(topic, partition);
        Instant deadline = Instant.now().plus(PATIENCE);
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "scanwatch-header-lookback-" + topic + "-" + partition);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(where));
            long beginning = consumer.beginningOffsets(List.of(where), PATIENCE).get(where);
            List<byte[]> later = List.of();
            long end = offset;
            while (end > beginning && offset - end < limit) {
                long from = Math.max(beginning, Math.max(end - STEP, offset - limit));
                List<byte[]> lines = headerLines(consumer, where, from, end, deadline);
                if (lines == null) {
                    LOG.warn("{}@{}: the brokers did not give the records before it within {}", where, end, PATIENCE);
                    return List.of();
                }
                lines.addAll(later);
                later = lines;
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (startsWith(lines.get(i), "#separator")) {
                        LOG.info(
                                "{}@{}: the Zeek header in force is at most {} records back",
                                where,
                                offset,
                                offset - from);
                        return lines.subList(i, lines.size());
                    }
                }
                end = from;
            }
            if (later.stream().anyMatch(line -> startsWith(line, "#fields"))) {
                // A header without its first line (a shipper that dropped it): every # line found, the last #fields
                // the one in force, as it was for the parser.
                return later;
            }
            LOG.warn(
                    "{}@{}: no Zeek header within the {} records before it (kafka.header-lookback {}); its TSV rows are"
                            + " dead letters until its next header",
                    where,
                    offset,
                    offset - end,
                    limit);
            return List.of();
        } catch (RuntimeException e) {
            LOG.warn("{}@{}: the Zeek header before it could not be read back: {}", where, offset, e.toString());
            return List.of();
        }
    }

    /** The {@code #} lines at offsets {@code from} to {@code end} (excluded), in order; null past the deadline. */
    private static List<byte[]> headerLines(
            KafkaConsumer<byte[], byte[]> consumer, TopicPartition where, long from, long end, Instant deadline) {
        consumer.seek(where, from);
        List<byte[]> lines = new ArrayList<>();
        while (consumer.position(where, PATIENCE) < end) {
            if (Instant.now().isAfter(deadline)) {
                return null;
            }
            for (ConsumerRecord<byte[], byte[]> record :
                    consumer.poll(Duration.ofMillis(500)).records(where)) {
                if (record.offset() >= end) {
                    return lines;
                }
                byte[] value = record.value();
                if (value != null && value.length > 0 && value[0] == '#') {
                    lines.add(value);
                }
            }
        }
        return lines;
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
