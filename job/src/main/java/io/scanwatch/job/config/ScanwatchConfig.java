package io.scanwatch.job.config;

import io.scanwatch.enrich.AddressFacts;
import io.scanwatch.enrich.Asset;
import io.scanwatch.enrich.AssetInventory;
import io.scanwatch.enrich.Criticality;
import io.scanwatch.parse.ParseOptions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole typed configuration. Defaults and the reason for each live in {@code scanwatch-defaults.yaml};
 * {@link ConfigLoader} reads it, and {@link #validate()} names the key of anything that cannot work.
 */
public record ScanwatchConfig(
        NetworkConfig network,
        EventTimeConfig eventTime,
        ParsingConfig parsing,
        FlowPairingConfig flowPairing,
        DetectionConfig detection,
        RuleConfigs rules,
        CorrelationConfig correlation,
        AlertingConfig alerting,
        EnrichmentConfig enrichment,
        InventoryConfig inventory,
        List<KnownScanner> knownScanners,
        ControlConfig control,
        KafkaConfig kafka,
        SearchConfig search,
        StateConfig state,
        CheckpointingConfig checkpointing,
        RestartConfig restart)
        implements Serializable {
    /** Flink's CheckpointCoordinatorConfiguration.MINIMAL_CHECKPOINT_TIME, for checkpoints' interval and timeout. */
    private static final Duration FLINK_LEAST_CHECKPOINT_TIME = Duration.ofMillis(10);

    /** What a setting that needs the brokers is told when none are given. */
    private static final String WITHOUT_BROKERS = " but kafka.bootstrap-servers is empty (or give --kafka-bootstrap)";

    public record NetworkConfig(List<String> internalCidrs, List<String> authorizedScanners) implements Serializable {}

    /**
     * How far records may arrive out of event-time order, per format: each input's watermark trails its newest
     * record by its format's bound. {@code maxAheadOfClock}: how far ahead of the machine's clock a record, from
     * Kafka or a file, may be stamped before it is a dead letter.
     */
    public record EventTimeConfig(
            Duration maxOutOfOrderness, java.util.Map<String, Duration> byFormat, Duration maxAheadOfClock)
            implements Serializable {
        /** The bound for one input's format; an auto-detected input may hold any format, so it takes the widest. */
        public Duration boundFor(io.scanwatch.parse.catalog.TelemetryFormat format) {
            if (format == io.scanwatch.parse.catalog.TelemetryFormat.AUTO) {
                return byFormat.values().stream().reduce(maxOutOfOrderness, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            return byFormat.getOrDefault(format.id(), maxOutOfOrderness);
        }
    }

    public record ParsingConfig(String timezone, int syslogYear) implements Serializable {
        /** What parsers of one stream are told; {@code reference} is the newest time the stream can hold. */
        public ParseOptions options(Instant reference) {
            return new ParseOptions(ZoneId.of(timezone), syslogYear, reference);
        }

        /** The same for an input that names its own zone ({@code null}: it does not, and takes this one). */
        public ParsingConfig in(String zone) {
            return zone == null ? this : new ParsingConfig(zone, syslogYear);
        }
    }

    public record FlowPairingConfig(Duration answerWithin) implements Serializable {}

    public record DetectionConfig(int distinctCap) implements Serializable {}

    public record CorrelationConfig(
            boolean enabled,
            Duration within,
            int minFailures,
            Duration logonGrace,
            Duration scanAlertsWait,
            int maxUsers,
            boolean hashUsers,
            Duration suppressionPeriod)
            implements Serializable {
        /**
         * How long a scan is presumed to go on past its last reported probe (its next probes may not be reported yet),
         * and how far its probes go on before the correlation is told so again: half {@code within}.
         */
        public Duration presumedGoingOn() {
            return within.dividedBy(2);
        }
    }

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

    /**
     * One telemetry topic: its name, the format of its records and, optionally, its own event-time bound. A class
     * rather than a record because the bound may be left out, and the loader insists on every record component.
     */
    public static final class KafkaInput implements Serializable {
        private final String topic;
        private final String format;
        private Duration maxOutOfOrderness;
        private String timezone;

        @com.fasterxml.jackson.annotation.JsonCreator
        public KafkaInput(
                @com.fasterxml.jackson.annotation.JsonProperty("topic") String topic,
                @com.fasterxml.jackson.annotation.JsonProperty("format") String format) {
            this.topic = topic;
            this.format = format;
        }

        public String topic() {
            return topic;
        }

        public String format() {
            return format;
        }

        /** This topic's bound, when its producers lag more or less than the format's default; null if not set. */
        public Duration maxOutOfOrderness() {
            return maxOutOfOrderness;
        }

        public void setMaxOutOfOrderness(Duration maxOutOfOrderness) {
            this.maxOutOfOrderness = maxOutOfOrderness;
        }

        /** The zone of this topic's times that carry none, when its sensors' is not {@code parsing.timezone}. */
        public String timezone() {
            return timezone;
        }

        public void setTimezone(String timezone) {
            this.timezone = timezone;
        }

        public Duration bound(EventTimeConfig eventTime) {
            return maxOutOfOrderness != null
                    ? maxOutOfOrderness
                    : eventTime.boundFor(io.scanwatch.parse.catalog.TelemetryFormat.byId(format));
        }
    }

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
            java.util.Map<String, String> properties,
            long headerLookback)
            implements Serializable {
        /** The configured client properties (security and the like), for every client scanwatch creates. */
        public java.util.Properties clientProperties() {
            java.util.Properties client = new java.util.Properties();
            client.putAll(properties);
            return client;
        }

        /** Topics read without an end: the run goes on until it is stopped. */
        public boolean unbounded() {
            return !inputs.isEmpty() && !bounded;
        }

        public boolean enabled() {
            return !bootstrapServers.isBlank();
        }

        /**
         * The prefix of the alerts' transactional ids: the one set, else the group id, so that two jobs told apart by
         * their consumer groups never share one (the default prefix was one for every job).
         */
        public String transactionalIds() {
            return transactionalIdPrefix.isBlank() ? groupId : transactionalIdPrefix;
        }

        /** Alerts, and dead letters with them, go to Kafka. */
        public boolean writesAlerts() {
            return enabled() && !alertsTopic.isBlank();
        }
    }

    /** Elasticsearch or OpenSearch, for alerts. */
    public record SearchConfig(
            List<String> urls,
            String index,
            String deadLetterIndex,
            String username,
            String password,
            String apiKey,
            String caFile,
            int maxBatch,
            Duration flushInterval,
            Duration requestTimeout,
            Duration progressTimeout)
            implements Serializable {
        public boolean enabled() {
            return !urls.isEmpty();
        }

        /** Never the credentials: what may appear in logs, messages and the summary. */
        @Override
        public String toString() {
            return "search " + urls + " index " + index;
        }
    }

    /** Where keyed state lives while the job runs. */
    public record StateConfig(StateBackend backend) implements Serializable {}

    public enum StateBackend {
        /** The cluster's own {@code state.backend.type}: on the embedded cluster, the heap. */
        CLUSTER,
        /** On the heap: the fastest, as large as the heap. */
        HASHMAP,
        /** In RocksDB on local disk, off the heap: state beyond the heap, at the cost of a serialization per access. */
        ROCKSDB
    }

    /**
     * @param allowNonRestoredState a stream on the embedded cluster going on from its checkpoint drops the state of
     *     operators it no longer has (an output or rule left out), as {@code --allowNonRestoredState} does on
     *     {@code flink run}
     */
    public record CheckpointingConfig(
            Duration interval, Duration timeout, Duration minPause, String dir, boolean allowNonRestoredState)
            implements Serializable {}

    public record RestartConfig(RestartStrategy strategy, int attempts, Duration delay) implements Serializable {}

    public enum RestartStrategy {
        /**
         * The cluster's own {@code restart-strategy}: with checkpoints, Flink's default is exponential-delay without
         * a limit, so that a stream outlives any number of outages over its life.
         */
        CLUSTER,
        /** Up to {@code attempts} restarts over the job's life, {@code delay} apart; then the job fails. */
        @com.fasterxml.jackson.annotation.JsonProperty("fixed-delay")
        FIXED_DELAY
    }

    public record AlertingConfig(double growthFactor, int sampleSize) implements Serializable {}

    /**
     * @param mmdb MaxMind-format database files, asked in order
     * @param asnCsv AS range files ({@code first,last,number,organisation})
     */
    public record EnrichmentConfig(List<String> mmdb, List<String> asnCsv) implements Serializable {
        public boolean enabled() {
            return !mmdb.isEmpty() || !asnCsv.isEmpty();
        }

        public List<Path> mmdbFiles() {
            return mmdb.stream().map(Path::of).toList();
        }

        public List<Path> asnCsvFiles() {
            return asnCsv.stream().map(Path::of).toList();
        }
    }

    /**
     * The organisation's assets, from a CSV file and/or listed inline ({@link AssetEntry}); a scan that probes an
     * asset at least {@code raiseSeverityFrom} critical is raised one severity step.
     */
    public record InventoryConfig(String file, List<AssetEntry> assets, Criticality raiseSeverityFrom)
            implements Serializable {
        /** Every entry, the file's first; reads the file. */
        public AssetInventory load() throws IOException {
            List<Asset> all = new ArrayList<>();
            if (!file.isBlank()) {
                all.addAll(AssetInventory.readCsv(Path.of(file)));
            }
            assets.forEach(entry -> all.add(entry.asset()));
            return AssetInventory.of(all);
        }

        /** Whether an inventory is configured: a file or entries. */
        public boolean holdsAny() {
            return !file.isBlank() || !assets.isEmpty();
        }
    }

    /**
     * An inventory entry written in the configuration: the block and its criticality are needed, the rest may be
     * left out. A class rather than a record because the loader insists on every record component.
     */
    public static final class AssetEntry implements Serializable {
        private final String cidr;
        private final Criticality criticality;
        private String hostname = "";
        private String owner = "";
        private List<String> tags = List.of();

        @com.fasterxml.jackson.annotation.JsonCreator
        public AssetEntry(
                @com.fasterxml.jackson.annotation.JsonProperty("cidr") String cidr,
                @com.fasterxml.jackson.annotation.JsonProperty("criticality") Criticality criticality) {
            this.cidr = cidr;
            this.criticality = criticality;
        }

        public void setHostname(String hostname) {
            this.hostname = hostname;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }

        public Asset asset() {
            return new Asset(cidr, hostname, owner, criticality, tags);
        }
    }

    /** What an alert from a known scanner becomes. */
    public enum ScannerPolicy {
        /** Labelled, severity as the rule rates it. */
        KEEP,
        /** Labelled, one severity step lower. */
        LOWER,
        /** Not sent; counted. */
        DROP
    }

    /**
     * Sources whose scanning is known and explained (research scanners such as Censys, the organisation's own
     * vulnerability scanners): their alerts carry the label and follow the policy. Unlike authorised scanners, whose
     * records are counted and dropped before any rule, they are still watched.
     */
    public record KnownScanner(String label, List<String> cidrs, ScannerPolicy policy) implements Serializable {}

    /**
     * Live changes without a restart: a compacted Kafka topic and/or a file of change documents, each laid over the
     * start-up configuration from its event time on; what became of each change is written to the status outputs.
     */
    public record ControlConfig(
            String kafkaTopic, String file, Duration watchInterval, String statusFile, String statusTopic)
            implements Serializable {
        public boolean enabled() {
            return !kafkaTopic.isBlank() || !file.isBlank();
        }
    }

    /**
     * @param rules the rule sections, to check each rule's own settings
     * @return one message per problem, each naming its key; empty when the configuration can run
     */
    public List<String> validate(List<? extends RuleSection<?>> rules) {
        List<String> errors = new ArrayList<>();
        ConfigChecks root = new ConfigChecks("", errors);
        if (network.internalCidrs().isEmpty()) {
            root.fail(
                    "network.internal-cidrs",
                    "is empty: with no internal range every host is external and the direction-dependent rules"
                            + " never fire; name your ranges, e.g. [10.0.0.0/8, 192.168.0.0/16]");
        }
        cidrs("network.internal-cidrs", network.internalCidrs(), errors);
        cidrs("network.authorized-scanners", network.authorizedScanners(), errors);
        for (String cidr : network.authorizedScanners()) {
            try {
                io.scanwatch.net.Cidr block = io.scanwatch.net.Cidr.parse(cidr);
                for (String family : List.of("0.0.0.0/0", "::/0")) {
                    if (block.covers(io.scanwatch.net.Cidr.parse(family))) {
                        root.fail(
                                "network.authorized-scanners",
                                "lists " + cidr + ", which authorises every " + (family.contains(":") ? "IPv6" : "IPv4")
                                        + " source: nothing from them would raise an alert. To switch rules off, set"
                                        + " their enabled: false");
                    }
                }
            } catch (IllegalArgumentException reported) {
                // said above
            }
        }
        root.positive("event-time.max-out-of-orderness", eventTime.maxOutOfOrderness());
        // Zero or less would refuse records of sensors whose clocks run a moment ahead, or every record there is.
        root.positive("event-time.max-ahead-of-clock", eventTime.maxAheadOfClock());
        eventTime.byFormat().forEach((format, bound) -> {
            try {
                io.scanwatch.parse.catalog.TelemetryFormat.byId(format);
            } catch (IllegalArgumentException e) {
                root.fail("event-time.by-format." + format + ":", e.getMessage());
            }
            root.positive("event-time.by-format." + format, bound);
        });
        if (!ZoneNames.reads(parsing.timezone())) {
            root.fail("parsing.timezone:", ZoneNames.notAZone(parsing.timezone()));
        }
        if (parsing.syslogYear() != 0 && (parsing.syslogYear() < 1995 || parsing.syslogYear() > 2099)) {
            root.fail(
                    "parsing.syslog-year",
                    "must be 0 (infer) or a year from 1995 to 2099, got " + parsing.syslogYear());
        }
        root.positive("flow-pairing.answer-within", flowPairing.answerWithin());
        if (flowPairing.answerWithin().compareTo(Duration.ofMinutes(5)) > 0) {
            // Every rule's watermark waits this long where one-way flows are read, and each conversation is kept
            // as long: an answer comes within a round trip, retransmissions within a minute.
            root.fail(
                    "flow-pairing.answer-within",
                    "must be at most 5m, got " + ConfigChecks.text(flowPairing.answerWithin()));
        }
        int cap = detection.distinctCap();
        root.atLeast("detection.distinct-cap", cap, 2);
        for (RuleSection<?> rule : rules) {
            check(rule, root.section(rule.key()), cap);
        }

        ConfigChecks correlating = root.section("correlation");
        correlating.positive("within", correlation.within());
        correlating.atLeast("min-failures", correlation.minFailures(), 1);
        correlating.notNegative("logon-grace", correlation.logonGrace());
        correlating.positive("scan-alerts-wait", correlation.scanAlertsWait());
        correlating.atLeast("max-users", correlation.maxUsers(), 1);
        correlating.positive("suppression-period", correlation.suppressionPeriod());
        kafka(root.section("kafka"), errors);
        search(root.section("search"));
        ConfigChecks checkpoints = root.section("checkpointing");
        // Flink takes an interval below its least as checkpointing turned off (Kafka's offsets and exactly-once
        // alerts would never be committed), and refuses such a timeout in words that do not name the key.
        checkpoints.atLeast("interval", checkpointing.interval(), FLINK_LEAST_CHECKPOINT_TIME, "Flink's least");
        checkpoints.atLeast("timeout", checkpointing.timeout(), FLINK_LEAST_CHECKPOINT_TIME, "Flink's least");
        checkpoints.notNegative("min-pause", checkpointing.minPause());
        root.atLeast("restart.attempts", restart.attempts(), 0);
        root.positive("restart.delay", restart.delay());
        if (!(alerting.growthFactor() > 1)) {
            root.fail("alerting.growth-factor", "must be greater than 1, got " + alerting.growthFactor());
        }
        root.atLeast("alerting.sample-size", alerting.sampleSize(), 1);
        enrichment(root.section("enrichment"));
        try {
            inventory.load();
            inlineAssetsOnce(root);
        } catch (IOException | RuntimeException e) {
            root.fail("inventory:", e.getMessage());
        }
        // Two entries for one block under different policies: the later would win without a word (drop or keep?).
        Map<String, Integer> entryOfBlock = new HashMap<>();
        for (int i = 0; i < knownScanners.size(); i++) {
            KnownScanner scanner = knownScanners.get(i);
            String key = "known-scanners[" + i + "]";
            for (String cidr : scanner.cidrs()) {
                try {
                    Integer other = entryOfBlock.putIfAbsent(
                            io.scanwatch.net.Cidr.parse(cidr).canonical(), i);
                    KnownScanner earlier = other == null ? null : knownScanners.get(other);
                    if (earlier != null && earlier.policy() != scanner.policy()) {
                        root.fail(
                                key + ".cidrs",
                                "lists " + cidr + " under policy " + scanner.policy() + ", which known-scanners["
                                        + other + "] lists under " + earlier.policy() + ": one policy a block");
                    }
                } catch (IllegalArgumentException reported) {
                    // said by the check of the entry's blocks
                }
            }
            if (scanner.label().isBlank()) {
                root.fail(key + ".label", "is empty: the label is what the alert says the source is");
            }
            if (scanner.cidrs().isEmpty()) {
                root.fail(key + ".cidrs", "is empty: name the scanner's addresses or blocks");
            }
            cidrs(key + ".cidrs", scanner.cidrs(), errors);
        }
        topicName(root, "control.kafka-topic", control.kafkaTopic());
        topicName(root, "control.status-topic", control.statusTopic());
        if (!control.kafkaTopic().isBlank() && !kafka.enabled()) {
            root.fail("control.kafka-topic", "is set" + WITHOUT_BROKERS);
        }
        if (!control.statusTopic().isBlank() && !kafka.enabled()) {
            root.fail("control.status-topic", "is set" + WITHOUT_BROKERS);
        }
        for (String status : List.of("status-file", "status-topic")) {
            boolean set = !(status.equals("status-file") ? control.statusFile() : control.statusTopic()).isBlank();
            if (set && !control.enabled()) {
                // Nothing would ever be written there: the status reports on the control changes read.
                root.fail(
                        "control." + status,
                        "is set but there is no control input to report on: set control.file or"
                                + " control.kafka-topic, or leave control." + status + " empty");
            }
        }
        if (!control.file().isBlank() && !java.nio.file.Files.isReadable(Path.of(control.file()))) {
            root.fail("control.file", "cannot be read: " + control.file());
        }
        root.positive("control.watch-interval", control.watchInterval());
        return errors;
    }

    private <S> void check(RuleSection<S> rule, ConfigChecks checks, int cap) {
        RuleConfig<S> config = rules.of(rule);
        config.common().check(checks);
        rule.check(config.own(), checks.ofRule(config.common()), cap);
    }

    /**
     * Two inline entries describing one block differently, as the file may not: the later would win without a word
     * (a critical host listed again as low read as low). An inline entry may still describe a block of the file anew.
     */
    private void inlineAssetsOnce(ConfigChecks root) {
        Map<String, Integer> entryOfBlock = new HashMap<>();
        List<Asset> assets = inventory.assets().stream().map(AssetEntry::asset).toList();
        for (int i = 0; i < assets.size(); i++) {
            Integer other = entryOfBlock.putIfAbsent(
                    io.scanwatch.net.Cidr.parse(assets.get(i).cidr()).canonical(), i);
            Asset earlier = other == null ? null : assets.get(other);
            Asset later = assets.get(i);
            if (earlier != null
                    && !(earlier.hostname().equals(later.hostname())
                            && earlier.owner().equals(later.owner())
                            && earlier.criticality() == later.criticality()
                            && Set.copyOf(earlier.tags()).equals(Set.copyOf(later.tags())))) {
                root.fail(
                        "inventory.assets[" + i + "]",
                        "describes " + later.cidr() + " (" + described(later) + ") otherwise than inventory.assets["
                                + other + "] does (" + described(earlier) + "): one entry a block");
            }
        }
    }

    private static String described(Asset asset) {
        return asset.criticality().text()
                + (asset.hostname().isEmpty() ? "" : ", " + asset.hostname())
                + (asset.owner().isEmpty() ? "" : ", owner " + asset.owner())
                + (asset.tags().isEmpty() ? "" : ", tags " + String.join(";", asset.tags()));
    }

    /** Every database is opened once at start, so that a wrong path or format stops the job before it runs. */
    private void enrichment(ConfigChecks checks) {
        for (String file : enrichment.mmdb()) {
            if (!isDatabaseFile(checks, "mmdb", file)) {
                continue;
            }
            try {
                AddressFacts.open(List.of(Path.of(file)), List.of()).close();
            } catch (IOException | RuntimeException e) {
                checks.fail(
                        "mmdb", "cannot be read as a MaxMind-format database: " + file + " (" + e.getMessage() + ")");
            }
        }
        for (String file : enrichment.asnCsv()) {
            if (!isDatabaseFile(checks, "asn-csv", file)) {
                continue;
            }
            try {
                AddressFacts.open(List.of(), List.of(Path.of(file))).close();
            } catch (IOException | RuntimeException e) {
                checks.fail("asn-csv", "cannot be read as AS ranges: " + e.getMessage());
            }
        }
    }

    /** A pipe or a device would hold the start until something writes to it, if ever. */
    private static boolean isDatabaseFile(ConfigChecks checks, String key, String file) {
        if (!Files.exists(Path.of(file))) {
            checks.fail(key, "no such file: " + file);
            return false;
        }
        if (!Files.isRegularFile(Path.of(file))) {
            checks.fail(key, "not a file (a directory, a pipe or a device): " + file);
            return false;
        }
        return true;
    }

    private void kafka(ConfigChecks checks, List<String> errors) {
        for (int i = 0; i < kafka.inputs().size(); i++) {
            KafkaInput input = kafka.inputs().get(i);
            String key = "kafka.inputs[" + i + "]";
            if (input.topic() == null || input.topic().isBlank()) {
                errors.add(key + ".topic is missing");
            } else {
                topicName(checks, "inputs[" + i + "].topic", input.topic());
            }
            if (input.maxOutOfOrderness() != null) {
                checks.positive("inputs[" + i + "].max-out-of-orderness", input.maxOutOfOrderness());
            }
            try {
                var format = io.scanwatch.parse.catalog.TelemetryFormat.byId(String.valueOf(input.format()));
                String problem = input.timezone() == null ? null : ZoneNames.problem(input.timezone(), format);
                if (problem != null) {
                    checks.fail("inputs[" + i + "].timezone:", problem);
                }
            } catch (IllegalArgumentException e) {
                errors.add(key + ".format: " + e.getMessage());
            }
        }
        if (!kafka.inputs().isEmpty() && !kafka.enabled()) {
            checks.fail("inputs", "are set" + WITHOUT_BROKERS);
        }
        topicName(checks, "alerts-topic", kafka.alertsTopic());
        topicName(checks, "dead-letters-topic", kafka.deadLettersTopic());
        checks.positive("idleness", kafka.idleness());
        checks.positive("transaction-timeout", kafka.transactionTimeout());
        checks.atLeast("header-lookback", kafka.headerLookback(), 0);
        if (kafka.enabled()
                && kafka.delivery() == Delivery.EXACTLY_ONCE
                && kafka.transactionalIds().isBlank()) {
            checks.fail(
                    "transactional-id-prefix",
                    "(or group-id, which it defaults to) is needed for exactly-once delivery");
        }
        if (kafka.delivery() == Delivery.EXACTLY_ONCE
                && checkpointing.interval() != null
                && kafka.transactionTimeout() != null
                && kafka.transactionTimeout().compareTo(checkpointing.interval().plus(checkpointing.timeout())) <= 0) {
            checks.fail(
                    "transaction-timeout",
                    "(" + kafka.transactionTimeout() + ") must exceed checkpointing.interval"
                            + " plus checkpointing.timeout, or transactions expire before they are committed");
        }
    }

    /** Kafka's own rule for a topic's name, said before a broker or a producer refuses it mid-run. */
    private static void topicName(ConfigChecks checks, String name, String topic) {
        if (!topic.isBlank() && (!topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.equals(".") || topic.equals(".."))) {
            checks.fail(
                    name, "'" + topic + "' is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)");
        }
    }

    private void search(ConfigChecks checks) {
        for (String url : search.urls()) {
            try {
                java.net.URI uri = new java.net.URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    checks.fail("urls", "must be http:// or https:// addresses such as http://localhost:9200");
                }
                if (uri.getUserInfo() != null) {
                    checks.fail("urls", "must not carry credentials: use search.username and search.password");
                }
            } catch (java.net.URISyntaxException e) {
                checks.fail("urls", "holds something that is not an address (e.g. http://localhost:9200)");
            }
        }
        indexName(checks, "index", search.index());
        indexName(checks, "dead-letter-index", search.deadLetterIndex());
        if (!search.password().isEmpty() && search.username().isEmpty()) {
            checks.fail("password", "is set but search.username is not: give both, or an api-key");
        }
        if (!search.apiKey().isEmpty() && !search.username().isEmpty()) {
            checks.fail("api-key", "and search.username are both set: use one way to authenticate");
        }
        if (!search.caFile().isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(search.caFile()))) {
            checks.fail("ca-file", "cannot be read: " + search.caFile());
        }
        checks.atLeast("max-batch", search.maxBatch(), 1);
        checks.positive("flush-interval", search.flushInterval());
        checks.positive("request-timeout", search.requestTimeout());
        checks.positive("progress-timeout", search.progressTimeout());
    }

    private static void indexName(ConfigChecks checks, String key, String name) {
        try {
            SearchIndexName.check(name);
        } catch (IllegalArgumentException e) {
            checks.fail(key, e.getMessage());
        }
    }

    private static void cidrs(String key, List<String> cidrs, List<String> errors) {
        for (String cidr : cidrs) {
            try {
                io.scanwatch.net.Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                errors.add(key + ": " + e.getMessage());
                continue;
            }
            String problem = io.scanwatch.net.Cidr.bareNetworkProblem(cidr);
            if (problem != null) {
                errors.add(key + ": " + problem);
            }
        }
    }
}
