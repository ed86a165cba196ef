package io.scanwatch.job.config;

import io.scanwatch.parse.ParseOptions;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole typed configuration. Defaults and the reason for each live in {@code scanwatch-defaults.yaml};
 * {@link ConfigLoader} reads it, and {@link #validate()} names the key of anything that cannot work.
 */
public record ScanwatchConfig(
        NetworkConfig network,
        EventTimeConfig eventTime,
        ParsingConfig parsing,
        DetectionConfig detection,
        ConnScanConfig connscan,
        ServiceScanConfig serviceScan,
        NetworkScanConfig networkScan,
        CorrelationConfig correlation,
        AlertingConfig alerting,
        KafkaConfig kafka,
        CheckpointingConfig checkpointing,
        RestartConfig restart)
        implements Serializable {

    public record NetworkConfig(List<String> internalCidrs, List<String> authorizedScanners) implements Serializable {}

    public record EventTimeConfig(Duration maxOutOfOrderness) implements Serializable {}

    public record ParsingConfig(String timezone, int syslogYear) implements Serializable {
        /** What parsers of one stream are told; {@code reference} is the newest time the stream can hold. */
        public ParseOptions options(Instant reference) {
            return new ParseOptions(ZoneId.of(timezone), syslogYear, reference);
        }
    }

    public record DetectionConfig(int distinctCap) implements Serializable {}

    public record WindowConfig(Duration window, Duration slide) implements Serializable {}

    public record ConnScanConfig(boolean enabled, int minDistinctServices, Duration window, Duration slide)
            implements Serializable {}

    public record ServiceConfig(String name, List<Integer> ports) implements Serializable {}

    public record ServiceScanConfig(
            boolean enabled, int minDistinctHosts, Duration window, Duration slide, List<ServiceConfig> services)
            implements Serializable {}

    public record TumblingConfig(Duration window) implements Serializable {}

    public record SlidingConfig(boolean enabled, Duration window, Duration slide) implements Serializable {}

    public enum CountMode {
        PROBES,
        ALL
    }

    public record NetworkScanConfig(
            boolean enabled,
            CountMode count,
            int distinctHostsAbove,
            long attemptsAbove,
            int distinctPortsAtLeast,
            double maxDominantServiceShare,
            int horizontalMaxPorts,
            TumblingConfig tumbling,
            SlidingConfig sliding)
            implements Serializable {}

    public record CorrelationConfig(
            boolean enabled, Duration within, int minFailures, Duration logonGrace, int maxUsers, boolean hashUsers)
            implements Serializable {}

    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    public enum Delivery {
        @com.fasterxml.jackson.annotation.JsonProperty("exactly-once")
        EXACTLY_ONCE,
        @com.fasterxml.jackson.annotation.JsonProperty("at-least-once")
        AT_LEAST_ONCE
    }

    public record KafkaInput(String topic, String format) implements Serializable {}

    public record KafkaConfig(
            String bootstrapServers,
            List<KafkaInput> inputs,
            String groupId,
            StartingOffsets startingOffsets,
            boolean bounded,
            Duration idleness,
            String alertsTopic,
            String deadLettersTopic,
            Delivery delivery,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            java.util.Map<String, String> properties)
            implements Serializable {
        /** The configured client properties (security and the like), for every client scanwatch creates. */
        public java.util.Properties clientProperties() {
            java.util.Properties client = new java.util.Properties();
            client.putAll(properties);
            return client;
        }

        public boolean enabled() {
            return !bootstrapServers.isBlank();
        }
    }

    public record CheckpointingConfig(Duration interval, Duration timeout, Duration minPause, String dir)
            implements Serializable {}

    public record RestartConfig(int attempts, Duration delay) implements Serializable {}

    public record AlertingConfig(Duration suppressionPeriod, double growthFactor, int sampleSize)
            implements Serializable {}

    /** @return one message per problem, each naming its key; empty when the configuration can run. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (network.internalCidrs().isEmpty()) {
            errors.add("network.internal-cidrs is empty: with no internal range every host is external and the"
                    + " direction-dependent rules never fire; name your ranges, e.g. [10.0.0.0/8, 192.168.0.0/16]");
        }
        cidrs("network.internal-cidrs", network.internalCidrs(), errors);
        cidrs("network.authorized-scanners", network.authorizedScanners(), errors);
        positive("event-time.max-out-of-orderness", eventTime.maxOutOfOrderness(), errors);
        try {
            ZoneId.of(parsing.timezone());
        } catch (java.time.DateTimeException e) {
            errors.add("parsing.timezone: '" + parsing.timezone()
                    + "' is not a time zone (e.g. UTC, Europe/Prague, +01:00)");
        }
        if (parsing.syslogYear() != 0 && (parsing.syslogYear() < 1995 || parsing.syslogYear() > 2099)) {
            errors.add(
                    "parsing.syslog-year must be 0 (infer) or a year from 1995 to 2099, got " + parsing.syslogYear());
        }
        int cap = detection.distinctCap();
        atLeast("detection.distinct-cap", cap, 2, errors);

        atLeast("connscan.min-distinct-services", connscan.minDistinctServices(), 1, errors);
        belowCap("connscan.min-distinct-services", connscan.minDistinctServices(), cap, errors);
        window("connscan", connscan.window(), connscan.slide(), errors);

        atLeast("service-scan.min-distinct-hosts", serviceScan.minDistinctHosts(), 1, errors);
        belowCap("service-scan.min-distinct-hosts", serviceScan.minDistinctHosts(), cap, errors);
        window("service-scan", serviceScan.window(), serviceScan.slide(), errors);
        services(serviceScan.services(), errors);

        atLeast("network-scan.distinct-hosts-above", networkScan.distinctHostsAbove(), 1, errors);
        belowCap("network-scan.distinct-hosts-above", networkScan.distinctHostsAbove() + 1, cap, errors);
        atLeast(
                "network-scan.attempts-above",
                (int) Math.min(networkScan.attemptsAbove(), Integer.MAX_VALUE),
                1,
                errors);
        atLeast("network-scan.distinct-ports-at-least", networkScan.distinctPortsAtLeast(), 2, errors);
        belowCap("network-scan.distinct-ports-at-least", networkScan.distinctPortsAtLeast(), cap, errors);
        if (!(networkScan.maxDominantServiceShare() > 0 && networkScan.maxDominantServiceShare() <= 1)) {
            errors.add("network-scan.max-dominant-service-share must be in (0, 1], got "
                    + networkScan.maxDominantServiceShare());
        }
        atLeast("network-scan.horizontal-max-ports", networkScan.horizontalMaxPorts(), 1, errors);
        positive("network-scan.tumbling.window", networkScan.tumbling().window(), errors);
        if (networkScan.sliding().enabled()) {
            window(
                    "network-scan.sliding",
                    networkScan.sliding().window(),
                    networkScan.sliding().slide(),
                    errors);
        }

        positive("correlation.within", correlation.within(), errors);
        atLeast("correlation.min-failures", correlation.minFailures(), 1, errors);
        if (correlation.logonGrace() == null || correlation.logonGrace().isNegative()) {
            errors.add("correlation.logon-grace must be zero or more, got " + correlation.logonGrace());
        }
        atLeast("correlation.max-users", correlation.maxUsers(), 1, errors);
        kafka(errors);
        positive("checkpointing.interval", checkpointing.interval(), errors);
        positive("checkpointing.timeout", checkpointing.timeout(), errors);
        if (checkpointing.minPause() == null || checkpointing.minPause().isNegative()) {
            errors.add("checkpointing.min-pause must be zero or more, got " + checkpointing.minPause());
        }
        atLeast("restart.attempts", restart.attempts(), 0, errors);
        positive("restart.delay", restart.delay(), errors);
        positive("alerting.suppression-period", alerting.suppressionPeriod(), errors);
        if (!(alerting.growthFactor() > 1)) {
            errors.add("alerting.growth-factor must be greater than 1, got " + alerting.growthFactor());
        }
        atLeast("alerting.sample-size", alerting.sampleSize(), 1, errors);
        return errors;
    }

    private void kafka(List<String> errors) {
        for (int i = 0; i < kafka.inputs().size(); i++) {
            KafkaInput input = kafka.inputs().get(i);
            String key = "kafka.inputs[" + i + "]";
            if (input.topic() == null || input.topic().isBlank()) {
                errors.add(key + ".topic is missing");
            }
            try {
                io.scanwatch.parse.catalog.TelemetryFormat.byId(String.valueOf(input.format()));
            } catch (IllegalArgumentException e) {
                errors.add(key + ".format: " + e.getMessage());
            }
        }
        if (!kafka.inputs().isEmpty() && !kafka.enabled()) {
            errors.add("kafka.inputs are set but kafka.bootstrap-servers is empty (or give --kafka-bootstrap)");
        }
        positive("kafka.idleness", kafka.idleness(), errors);
        positive("kafka.transaction-timeout", kafka.transactionTimeout(), errors);
        if (kafka.delivery() == Delivery.EXACTLY_ONCE
                && kafka.transactionalIdPrefix().isBlank()) {
            errors.add("kafka.transactional-id-prefix is needed for exactly-once delivery");
        }
        if (kafka.delivery() == Delivery.EXACTLY_ONCE
                && checkpointing.interval() != null
                && kafka.transactionTimeout() != null
                && kafka.transactionTimeout().compareTo(checkpointing.interval().plus(checkpointing.timeout())) <= 0) {
            errors.add(
                    "kafka.transaction-timeout (" + kafka.transactionTimeout() + ") must exceed checkpointing.interval"
                            + " plus checkpointing.timeout, or transactions expire before they are committed");
        }
    }

    private static void cidrs(String key, List<String> cidrs, List<String> errors) {
        for (String cidr : cidrs) {
            try {
                io.scanwatch.net.Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                errors.add(key + ": " + e.getMessage());
            }
        }
    }

    private static void services(List<ServiceConfig> services, List<String> errors) {
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            ServiceConfig service = services.get(i);
            String key = "service-scan.services[" + i + "]";
            if (service.name() == null || !service.name().matches("[a-z0-9_]+")) {
                errors.add(key + ".name must be lower-case letters, digits or '_', got '" + service.name() + "'");
            } else if (!names.add(service.name())) {
                errors.add(key + ".name '" + service.name() + "' is listed twice");
            }
            if (service.ports() == null || service.ports().isEmpty()) {
                errors.add(key + ".ports must list at least one port");
                continue;
            }
            for (Integer port : service.ports()) {
                if (port == null || port < 1 || port > 65535) {
                    errors.add(key + ".ports: " + port + " is not a port (1-65535)");
                } else if (!ports.add(port)) {
                    errors.add(key + ".ports: port " + port + " belongs to two services");
                }
            }
        }
    }

    private static void window(String key, Duration window, Duration slide, List<String> errors) {
        positive(key + ".window", window, errors);
        positive(key + ".slide", slide, errors);
        if (window != null
                && slide != null
                && !slide.isZero()
                && !slide.isNegative()
                && (window.toMillis() % slide.toMillis() != 0)) {
            errors.add(key + ".window (" + window + ") must be a whole multiple of " + key + ".slide (" + slide + ")");
        }
    }

    private static void positive(String key, Duration value, List<String> errors) {
        if (value == null) {
            errors.add(key + " is missing");
        } else if (value.isNegative() || value.isZero()) {
            errors.add(key + " must be positive, got " + value);
        }
    }

    private static void atLeast(String key, int value, int min, List<String> errors) {
        if (value < min) {
            errors.add(key + " must be at least " + min + ", got " + value);
        }
    }

    private static void belowCap(String key, int needed, int cap, List<String> errors) {
        if (needed >= cap) {
            errors.add(key + " needs " + needed + " distinct values, which detection.distinct-cap (" + cap
                    + ") cannot hold: raise the cap above it");
        }
    }
}
