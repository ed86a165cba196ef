package io.scanwatch.job.source;

import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Asks the brokers, before the job starts, whether they answer and hold the telemetry topics. Left to the job, a
 * wrong port retried for some thirteen minutes with nothing but stack traces, and a mistyped topic failed after
 * 105 s without naming it.
 */
public final class KafkaPreflight {
    private KafkaPreflight() {}

    /** @throws ConfigException saying what to fix */
    public static void check(KafkaConfig kafka, Duration timeout) {
        requireInputs(kafka, topics(kafka, timeout));
    }

    /**
     * The same from a client that submits to a cluster, whose brokers may be out of the client's reach while the
     * TaskManagers reach them: then a warning. Brokers that answer without a telemetry topic fail the start, where
     * the job on the cluster would restart for ever.
     *
     * @return the warning, if the brokers did not answer
     * @throws ConfigException naming the missing topics
     */
    public static Optional<String> checkFromClient(KafkaConfig kafka, Duration timeout) {
        Set<String> topics;
        try {
            topics = topics(kafka, timeout);
        } catch (ConfigException unreachable) {
            return Optional.of(unreachable.getMessage() + "; the topics were not checked from this client (the"
                    + " cluster's TaskManagers may still reach the brokers)");
        }
        requireInputs(kafka, topics);
        return Optional.empty();
    }

    private static Set<String> topics(KafkaConfig kafka, Duration timeout) {
        Properties client = kafka.clientProperties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Set<String> topics;
        try (Admin admin = Admin.create(client)) {
            topics = new TreeSet<>(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            if (e instanceof ExecutionException
                    && !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                throw new ConfigException("kafka: the brokers at " + kafka.bootstrapServers()
                        + " would not list their topics (" + cause(e) + "): check kafka.properties (security) and"
                        + " kafka.bootstrap-servers");
            }
            throw new ConfigException("kafka.bootstrap-servers: no broker at " + kafka.bootstrapServers()
                    + " answered within " + timeout.toSeconds() + " s (" + cause(e) + "): is the address right and"
                    + " the broker up?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while asking the Kafka brokers for their topics");
        } catch (KafkaException e) {
            // No client at all: broker names that do not resolve here, a trust store that is not here.
            throw new ConfigException("kafka: no client for " + kafka.bootstrapServers() + " could be made here ("
                    + rootMessage(e) + "): check kafka.bootstrap-servers and kafka.properties");
        }
        return topics;
    }

    private static void requireInputs(KafkaConfig kafka, Set<String> topics) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < kafka.inputs().size(); i++) {
            KafkaInput input = kafka.inputs().get(i);
            if (!topics.contains(input.topic())) {
                missing.add("kafka.inputs[" + i + "]: topic '" + input.topic() + "'");
            }
        }
        if (!missing.isEmpty()) {
            topics.removeIf(topic -> topic.startsWith("__"));
            throw new ConfigException(String.join(", ", missing) + " does not exist on " + kafka.bootstrapServers()
                    + " (its topics: " + topics + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String cause(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
