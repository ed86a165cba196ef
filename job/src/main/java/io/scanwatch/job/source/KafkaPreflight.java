package io.scanwatch.job.source;

import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.config.ScanwatchConfig.KafkaInput;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.utils.Utils;

/**
 * Asks the brokers, before the job starts, whether they answer, hold the telemetry topics and will take the
 * topics the job writes. Left to the job, a wrong port retried for some thirteen minutes with nothing but stack
 * traces, a mistyped topic failed after 105 s without naming it, and an output topic that brokers do not create
 * on a first write failed the job at its first alert.
 */
public final class KafkaPreflight {
    private static final String AUTO_CREATE = "auto.create.topics.enable";
    private static final String CLEANUP_POLICY = "cleanup.policy";
    private static final String TRANSACTION_MAX_TIMEOUT = "transaction.max.timeout.ms";
    private static final Duration PORT_PROBE = Duration.ofSeconds(2);

    private KafkaPreflight() {}

    /** A topic the job writes, by the setting that names it. */
    record Output(String setting, String topic) {}

    /**
     * @return warnings: what could not be checked
     * @throws ConfigException saying what to fix
     */
    public static List<String> check(ScanwatchConfig config, Duration timeout) {
        refuseClosedPorts(config.kafka().bootstrapServers(), "kafka.bootstrap-servers");
        Admin admin = admin(config.kafka(), timeout);
        try {
            Set<String> topics = topics(admin, config.kafka(), timeout);
            requireInputs(config.kafka(), topics);
            List<String> warnings = new ArrayList<>();
            warnings.addAll(requireOutputs(admin, config.kafka(), outputs(config), topics, timeout));
            List<Unchecked> unchecked = new ArrayList<>();
            refuseCompactedOutputs(admin, outputs(config), topics, timeout).ifPresent(unchecked::add);
            requireTransactionTimeout(admin, config.kafka(), timeout).ifPresent(unchecked::add);
            if (!unchecked.isEmpty()) {
                // One line: a principal without the right to read settings (common) would get one per check.
                warnings.add("the brokers' settings could not be read ("
                        + unchecked.get(0).cause() + "): not checked "
                        + String.join(
                                ", nor ",
                                unchecked.stream().map(Unchecked::what).toList()));
            }
            return warnings;
        } finally {
            // Bounded: closed without a timeout, a client whose broker took the connection and never answered waited
            // for it for ever (15 minutes and counting, in a test against a silent port).
            admin.close(timeout);
        }
    }

    /**
     * The same from a client that submits to a cluster, whose brokers may be out of the client's reach while the
     * TaskManagers reach them: then a warning. Brokers that answer without a telemetry topic, or without an output
     * topic they will not create, fail the start, where the job on the cluster would restart for ever.
     *
     * @return warnings: the brokers did not answer, or what could not be checked
     * @throws ConfigException naming the missing topics
     */
    public static List<String> checkFromClient(ScanwatchConfig config, Duration timeout) {
        try {
            return check(config, timeout);
        } catch (Unanswered unanswered) {
            return List.of(unanswered.getMessage() + "; the topics were not checked from this client (the"
                    + " cluster's TaskManagers may still reach the brokers)");
        }
    }

    /** Whether the job reads telemetry from Kafka or writes to it: then the brokers are asked before it starts. */
    public static boolean applies(ScanwatchConfig config) {
        return !config.kafka().inputs().isEmpty() || !outputs(config).isEmpty();
    }

    /** The topics the job writes with this configuration, as its sinks are attached. */
    static List<Output> outputs(ScanwatchConfig config) {
        List<Output> outputs = new ArrayList<>();
        KafkaConfig kafka = config.kafka();
        if (kafka.writesAlerts()) {
            outputs.add(new Output("kafka.alerts-topic", kafka.alertsTopic()));
            if (!kafka.deadLettersTopic().isBlank()) {
                outputs.add(new Output("kafka.dead-letters-topic", kafka.deadLettersTopic()));
            }
        }
        if (config.control().enabled() && !config.control().statusTopic().isBlank()) {
            outputs.add(new Output("control.status-topic", config.control().statusTopic()));
        }
        return outputs;
    }

    /**
     * Whether the topic a command sends to exists: brokers that create topics on a first write (Kafka's default)
     * would take a mistyped name for a new topic, which no job reads. Brokers that do not answer are left to the
     * command's producer, which names them.
     *
     * @throws ConfigException naming the topic and those the brokers have
     */
    public static void requireTopic(String bootstrapServers, String topic, String setting, Duration timeout) {
        Properties client = new Properties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        Admin admin;
        try {
            admin = Admin.create(client);
        } catch (KafkaException e) {
            // Names that do not resolve: the producer says so in its own words.
            return;
        }
        Set<String> topics;
        try {
            topics = new TreeSet<>(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            admin.close(timeout);
        }
        if (!topics.contains(topic)) {
            throw new ConfigException(setting + ": topic '" + topic + "' does not exist on " + bootstrapServers
                    + " (its topics: " + named(topics) + "): create it first, or name an existing one");
        }
    }

    /** The brokers could not be asked: a client beside a cluster, which may not reach them, only warns. */
    private static final class Unanswered extends ConfigException {
        Unanswered(String message) {
            super(message);
        }
    }

    /**
     * Every bootstrap address refusing connections is known at once, where a Kafka client would retry them until
     * its timeout. An address that does not resolve, or does not answer at all, is left to the client.
     *
     * @param setting the option or key that names the brokers, for the message
     * @throws ConfigException when nothing listens at any of them
     */
    public static void refuseClosedPorts(String bootstrapServers, String setting) {
        List<String> refused = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String address = server.trim();
            String host = Utils.getHost(address);
            Integer port = Utils.getPort(address);
            if (host == null || port == null) {
                return;
            }
            InetAddress[] resolved;
            try {
                resolved = InetAddress.getAllByName(host);
            } catch (IOException e) {
                return;
            }
            // The client tries every address a name resolves to: one that takes connections is enough.
            for (InetAddress ip : resolved) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(ip, port), (int) PORT_PROBE.toMillis());
                    return;
                } catch (ConnectException e) {
                    // refused: the next address, or the next server
                } catch (IOException | IllegalArgumentException e) {
                    return;
                }
            }
            refused.add(address);
        }
        throw new Unanswered(setting + ": nothing listens at " + String.join(", ", refused)
                + " (connection refused): is the address right and the broker up?");
    }

    private static Admin admin(KafkaConfig kafka, Duration timeout) {
        Properties client = kafka.clientProperties();
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try {
            return Admin.create(client);
        } catch (KafkaException e) {
            // No client at all: broker names that do not resolve here, a trust store that is not here.
            throw new Unanswered("kafka: no client for " + kafka.bootstrapServers() + " could be made here ("
                    + rootMessage(e) + "): check kafka.bootstrap-servers and kafka.properties");
        }
    }

    private static Set<String> topics(Admin admin, KafkaConfig kafka, Duration timeout) {
        Set<String> topics;
        try {
            topics = new TreeSet<>(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                // A KRaft controller answers on its own listener, but no broker's requests.
                throw new Unanswered("kafka.bootstrap-servers: " + kafka.bootstrapServers() + " is not a broker's"
                        + " listener (" + cause(e) + "; a KRaft controller's port?): give the brokers' port");
            }
            if (e instanceof ExecutionException
                    && !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                throw new Unanswered("kafka: the brokers at " + kafka.bootstrapServers()
                        + " would not list their topics (" + cause(e) + "): check kafka.properties (security) and"
                        + " kafka.bootstrap-servers");
            }
            throw new Unanswered("kafka.bootstrap-servers: no broker at " + kafka.bootstrapServers()
                    + " answered within " + timeout.toSeconds() + " s (" + cause(e) + "): is the address right and"
                    + " the broker up?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while asking the Kafka brokers for their topics");
        }
        return topics;
    }

    /**
     * Output topics that do not exist are created by the brokers on the first write, unless the brokers are set not
     * to: then the first alert's write fails the job, so the start fails instead, naming them. The brokers of one
     * cluster share the setting; the first one named is asked. (Consumers have a setting of their own,
     * {@code allow.auto.create.topics}; producers have none.)
     */
    private static List<String> requireOutputs(
            Admin admin, KafkaConfig kafka, List<Output> outputs, Set<String> topics, Duration timeout) {
        List<Output> missing = outputs.stream()
                .filter(output -> !topics.contains(output.topic()))
                .toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        String absent = String.join(
                        ", ",
                        missing.stream()
                                .map(output -> output.setting() + ": topic '" + output.topic() + "'")
                                .toList())
                + (missing.size() == 1 ? " does" : " do") + " not exist on " + kafka.bootstrapServers();
        String create =
                missing.size() == 1 ? "create it, or name an existing one" : "create them, or name existing ones";
        String autoCreate;
        try {
            autoCreate = brokerSetting(admin, AUTO_CREATE, timeout);
        } catch (TimeoutException | ExecutionException e) {
            return List.of(absent + ", and whether the brokers create topics on a first write could not be read ("
                    + cause(e) + "): if they do not, the job fails at its first write");
        }
        if ("false".equalsIgnoreCase(autoCreate)) {
            throw new ConfigException(absent + ", and the brokers do not create topics on a first write (" + AUTO_CREATE
                    + "=false): " + create + " (its topics: " + named(topics) + ")");
        }
        return List.of();
    }

    /** A check the brokers' settings were needed for, and why they could not be read. */
    private record Unchecked(String what, String cause) {}

    /**
     * A compacted topic refuses records without a key, as the dead letters and control statuses are, and the
     * connector's writer, failing on it, took the embedded cluster's TaskManager down with it: a job alive without
     * a word and without a checkpoint. An alerts topic, keyed by source, would keep one alert of each.
     */
    private static Optional<Unchecked> refuseCompactedOutputs(
            Admin admin, List<Output> outputs, Set<String> topics, Duration timeout) {
        List<Output> existing = outputs.stream()
                .filter(output -> topics.contains(output.topic()))
                .toList();
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        List<ConfigResource> resources = existing.stream()
                .map(output -> new ConfigResource(ConfigResource.Type.TOPIC, output.topic()))
                .toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.of(new Unchecked(
                    "whether the topics the job writes are compacted (one fails the job at its first write)",
                    cause(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while asking the Kafka brokers for their topics' settings");
        }
        List<String> compacted = new ArrayList<>();
        for (int i = 0; i < existing.size(); i++) {
            ConfigEntry policy = configs.get(resources.get(i)).get(CLEANUP_POLICY);
            if (policy != null && policy.value() != null && policy.value().contains("compact")) {
                compacted.add(existing.get(i).setting() + ": topic '"
                        + existing.get(i).topic() + "' (" + CLEANUP_POLICY + "=" + policy.value() + ")");
            }
        }
        if (!compacted.isEmpty()) {
            throw new ConfigException(String.join(", ", compacted) + (compacted.size() == 1 ? " is" : " are")
                    + " compacted: such a topic refuses records without a key (dead letters, control statuses) and"
                    + " keeps only the last of each key (alerts, keyed by source): name a topic with "
                    + CLEANUP_POLICY + "=delete (the control topic, read by key, is the one to compact)");
        }
        return Optional.empty();
    }

    /**
     * Exactly-once alerts are written in transactions of {@code kafka.transaction-timeout}; brokers refuse a
     * producer whose timeout is past their {@code transaction.max.timeout.ms}, and the job then restarts for ever
     * without an alert and without a word on its standard error.
     */
    private static Optional<Unchecked> requireTransactionTimeout(Admin admin, KafkaConfig kafka, Duration timeout) {
        if (!kafka.writesAlerts() || kafka.delivery() != ScanwatchConfig.Delivery.EXACTLY_ONCE) {
            return Optional.empty();
        }
        String maximum;
        try {
            maximum = brokerSetting(admin, TRANSACTION_MAX_TIMEOUT, timeout);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.of(new Unchecked(
                    "whether kafka.transaction-timeout is within their " + TRANSACTION_MAX_TIMEOUT
                            + " (past it they refuse every transaction)",
                    cause(e)));
        }
        if (maximum == null || maximum.isEmpty() || !maximum.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        Duration most = Duration.ofMillis(Long.parseLong(maximum));
        if (kafka.transactionTimeout().compareTo(most) > 0) {
            throw new ConfigException("kafka.transaction-timeout (" + kafka.transactionTimeout() + ") is past the"
                    + " brokers' " + TRANSACTION_MAX_TIMEOUT + " (" + most + "), so they would refuse every"
                    + " transaction of the alerts: set it to " + most + " or less, or raise the brokers' setting");
        }
        return Optional.empty();
    }

    /** A broker's setting, as the first broker the cluster names has it; null when it has none. */
    private static String brokerSetting(Admin admin, String setting, Duration timeout)
            throws TimeoutException, ExecutionException {
        try {
            Node broker = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .findFirst()
                    .orElseThrow(() -> new ExecutionException("the cluster named no broker", null));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource)
                    .get(setting);
            return entry == null ? null : entry.value();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while asking the Kafka brokers for their settings");
        }
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
            throw new ConfigException(String.join(", ", missing) + " does not exist on " + kafka.bootstrapServers()
                    + " (its topics: " + named(topics) + ")");
        }
    }

    /** The topics users name, without Kafka's internal ones. */
    private static Set<String> named(Set<String> topics) {
        Set<String> named = new TreeSet<>(topics);
        named.removeIf(topic -> topic.startsWith("__"));
        return named;
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
