package io.scanwatch.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanwatch.job.Detectors;
import io.scanwatch.job.detect.ConnScanRule;
import io.scanwatch.job.detect.CountMode;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.ServiceScanRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private final ConfigLoader loader = Detectors.configLoader();

    @Test
    void bundledDefaultsAreValidAndMatchTheDocumentedRule() {
        ScanwatchConfig config = loader.defaults();
        NetworkScanRule.Settings networkScan = config.rules().own(NetworkScanRule.KIND);
        assertThat(networkScan.distinctHostsAbove()).isEqualTo(20);
        assertThat(networkScan.attemptsAbove()).isEqualTo(100);
        assertThat(networkScan.count()).isEqualTo(CountMode.PROBES);
        assertThat(networkScan.sliding().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.rules().own(ServiceScanRule.KIND).services()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("mongodb");
            assertThat(s.ports()).contains(27017);
        });
        assertThat(config.network().internalCidrs()).contains("10.0.0.0/8", "fc00::/7");
    }

    @Test
    void aFileIsLaidOverTheDefaultsAndOverridesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "network:\n  internal-cidrs: [147.32.0.0/16]\nconnscan:\n  window: 10m\n  slide: 2m\n");
        ScanwatchConfig config = loader.load(
                file, Map.of("connscan.min-distinct-services", "30", "connscan.suppression-period", "PT30M"));
        assertThat(config.network().internalCidrs()).containsExactly("147.32.0.0/16");
        RuleConfig<ConnScanRule.Settings> connscan = config.rules().of(ConnScanRule.KIND);
        assertThat(connscan.own().window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(connscan.own().minDistinctServices()).isEqualTo(30);
        assertThat(connscan.common().enabled())
                .as("untouched keys keep their default")
                .isTrue();
        assertThat(connscan.common().suppressionPeriod()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.rules().of(NetworkScanRule.KIND).common().suppressionPeriod())
                .as("each rule has its own period")
                .isEqualTo(Duration.ofHours(1));
    }

    /**
     * Two jobs under one transactional-id prefix fence each other's transactions: every alert lost, the TaskManagers
     * failed (a hostile trial, two jobs with their own groups and the default prefix). Jobs told apart by their
     * groups are now told apart in their transactions too; a job on the defaults keeps the prefix it had.
     */
    @Test
    void eachConsumerGroupWritesUnderATransactionalIdPrefixOfItsOwn() {
        assertThat(loader.load(null, Map.of()).kafka().transactionalIds()).isEqualTo("scanwatch");
        assertThat(loader.load(null, Map.of("kafka.group-id", "branch-a"))
                        .kafka()
                        .transactionalIds())
                .isEqualTo("branch-a");
        assertThat(loader.load(null, Map.of("kafka.group-id", "branch-a", "kafka.transactional-id-prefix", "edge"))
                        .kafka()
                        .transactionalIds())
                .isEqualTo("edge");
        assertThatThrownBy(() ->
                        loader.load(null, Map.of("kafka.bootstrap-servers", "localhost:9092", "kafka.group-id", "''")))
                .hasMessageContaining("(or group-id, which it defaults to) is needed for exactly-once delivery");
    }

    @Test
    void kafkaClientSettingsAreSetWithTheirOwnDottedNames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.yaml");
        Files.writeString(file, "kafka:\n  properties: {security.protocol: SSL}\n");
        ScanwatchConfig config = loader.load(
                file,
                Map.of(
                        "kafka.properties.sasl.mechanism", "PLAIN",
                        "kafka.properties.acks", "all",
                        "kafka.properties.linger.ms", "5"));
        assertThat(config.kafka().properties())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN", "acks", "all", "linger.ms", "5"));
        assertThatThrownBy(() -> loader.load(null, Map.of("kafka.propertie.acks", "all")))
                .as("only the open section takes names of its own")
                .hasMessageContaining("unknown configuration key 'kafka.propertie'")
                .hasMessageEndingWith("did you mean 'properties'?");
        assertThatThrownBy(() -> loader.load(null, Map.of("kafka.properties", "acks")))
                .hasMessageContaining(
                        "expected a section of names and values such as {security.protocol: SSL}, got 'acks'");
    }

    @Test
    void aSectionGivenWholeToSetMergesAsAFilesDoes() {
        ScanwatchConfig config = loader.load(null, Map.of("network-scan", "{enabled: false}"));
        RuleConfig<NetworkScanRule.Settings> networkScan = config.rules().of(NetworkScanRule.KIND);
        assertThat(networkScan.common().enabled()).isFalse();
        assertThat(networkScan.own().attemptsAbove())
                .as("the section's other keys kept")
                .isEqualTo(100);
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan", "{enabeld: false}")))
                .hasMessageContaining("network-scan.enabeld");
    }

    /** Every share of the attempts a rule takes is more than none and at most all, under its own key. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "network-scan.max-dominant-service-share",
                "distributed-scan.max-member-share",
                "distributed-portscan.max-source-share"
            })
    void aShareOutsideZeroToOneIsRefused(String key) {
        for (String wrong : List.of("0", "1.5", "-0.2")) {
            assertThatThrownBy(() -> loader.load(null, Map.of(key, wrong)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key + " must be in (0, 1], got " + Double.parseDouble(wrong));
        }
        assertThat(loader.load(null, Map.of(key, "1"))).isNotNull();
    }

    /** An empty item in a list, a typo as easy as a bare "-" in a file, is refused by its key at start. */
    @Test
    void anEmptyListItemIsRefusedByItsKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> loader.load(null, Map.of("network.internal-cidrs", "[10.0.0.0/8, ~]")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration key 'network.internal-cidrs[1]': an empty list item");
        assertThatThrownBy(() -> loader.load(null, Map.of("service-scan.services", "[~]")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration key 'service-scan.services[0]': an empty list item");
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "network:\n  authorized-scanners:\n    - 10.9.0.0/16\n    -\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration key 'network.authorized-scanners[1]': an empty list item");
    }

    /** SnakeYAML marks where a file goes wrong; the message names that line once, not the token before it. */
    @Test
    void aFileThatIsNotYamlIsToldAtItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "network:\n\tinternal-cidrs: [10.0.0.0/8]\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML")
                .hasMessageEndingWith("(Do not use \\t(TAB) for indentation) (line 2, column 1)")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("(line 1)");
    }

    /** YAML 1.1 reads a leading zero as octal: a threshold written 054 would silently be 44. */
    @Test
    void aNumberWithALeadingZeroIsRefusedNotReadAsOctal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "network-scan:\n  attempts-above: 054\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2: 054 is read as the octal number 44 (YAML 1.1)");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.attempts-above", "054")))
                .hasMessageContaining("054 is read as the octal number 44");
        Files.writeString(file, "network-scan:\n  attempts-above: 54\n");
        assertThat(loader.load(file, Map.of())
                        .rules()
                        .of(NetworkScanRule.KIND)
                        .own()
                        .attemptsAbove())
                .isEqualTo(54);
    }

    /** YAML ends a key at a colon and a space: {@code {topic:x}} is one key, "topic:x", with no value. */
    @Test
    void aKeyGluedToItsValueIsToldToTakeASpace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "kafka:\n  inputs:\n    - {format: zeek-conn, topic:conn}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3: 'topic:conn' is read as one key with no value")
                .hasMessageEndingWith("a space after the colon (topic: conn)");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan", "{attempts-above:200}")))
                .hasMessageContaining("'attempts-above:200' is read as one key with no value");
        Files.writeString(
                file,
                "kafka:\n  bootstrap-servers: localhost:9092\n  inputs:\n    - {format: zeek-conn, topic: conn}\n");
        assertThat(loader.load(file, Map.of()).kafka().inputs().get(0).topic()).isEqualTo("conn");
    }

    /** A value with " #" (a password, a pattern) would be cut at YAML's comment without a word. */
    @Test
    void aValueThatACommentWouldCutIsRefusedSayingHowToQuoteIt() {
        assertThatThrownBy(() -> loader.load(null, Map.of("kafka.properties.ssl.key.password", "pa #55")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("' #' starts a comment")
                .hasMessageContaining("--set 'kafka.properties.ssl.key.password=\"pa #55\"'");
        assertThat(loader.load(null, Map.of("kafka.properties.ssl.key.password", "\"pa #55\""))
                        .kafka()
                        .clientProperties()
                        .getProperty("ssl.key.password"))
                .isEqualTo("pa #55");
    }

    @Test
    void unknownKeysAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "network-scan:\n  atempts-above: 5\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("network-scan.atempts-above")
                .hasMessageContaining("attempts-above");
        assertThatThrownBy(() -> loader.load(null, Map.of("connscan.windw", "5m")))
                .hasMessageContaining("connscan.windw")
                .hasMessageContaining("(known here: [enabled, severity, techniques, suppression-period,")
                .hasMessageEndingWith("; did you mean 'window'?");
        assertThatThrownBy(() -> loader.load(null, Map.of("trw-scan.destination", "any")))
                .hasMessageContaining("did you mean 'destinations'?");
        assertThatThrownBy(() -> loader.load(null, Map.of("trw-sacn.destinations", "any")))
                .hasMessageContaining("unknown configuration key 'trw-sacn'")
                .hasMessageContaining("did you mean 'trw-scan'?");
        Files.writeString(file, "connscan:\n  enabeld: false\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .as("the keys every rule has are listed with the rule's own")
                .hasMessageStartingWith("configuration key 'connscan.enabeld': unknown key (known here: [enabled,"
                        + " severity, techniques, suppression-period,")
                .hasMessageContaining("min-distinct-services")
                .hasMessageEndingWith("; did you mean 'enabled'?");
        Files.writeString(file, "rules:\n  connscan: {}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).hasMessageContaining("'rules': unknown key");
        Files.writeString(file, "netwrok-scan:\n  enabled: false\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .as("the rule sections are among the keys known at the top, the internal node is not")
                .hasMessageStartingWith("configuration key 'netwrok-scan': unknown key (known here: [")
                .hasMessageContaining("network-scan")
                .hasMessageContaining("slow-scan")
                .hasMessageNotContaining(" rules,")
                .hasMessageContaining("did you mean 'network-scan'?");
        Files.writeString(file, "state.backend: rocksdb\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessageContaining("'state.backend': unknown key; in a file, keys nest ('state:' then 'backend:'"
                        + " indented under it), the dotted form is --set's");
        Files.writeString(file, "network:\n  internal-cidrs.extra: [10.9.0.0/16]\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .as("a list does not nest")
                .hasMessageStartingWith("configuration key 'network.internal-cidrs.extra': unknown key (known here: [")
                .hasMessageNotContaining("keys nest");
        Files.writeString(file, "network.internal-cidrs.extra: [10.9.0.0/16]\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .as("nor does it deeper in a dotted key")
                .hasMessageStartingWith("configuration key 'network.internal-cidrs.extra': unknown key (known here: [")
                .hasMessageNotContaining("keys nest");
        Files.writeString(file, "state:\n  backend:\n    type: rocksdb\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessageContaining("'state.backend': expected one of")
                .hasMessageEndingWith("(a section where a value belongs)");
    }

    @Test
    void anUnknownKeyInsideAListIsNamedWithItsPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiers.yaml");
        Files.writeString(
                file,
                "slow-scan:\n  tiers:\n    - {window: 1h, slide: 5m, distinct-hosts-above: 50,"
                        + " distinct-ports-at-least: 50}\n    - {window: 24h, slide: 1h, distinct-hosts-above: 200,"
                        + " distinct-ports-at-least: 50, severity: high}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessage("configuration key 'slow-scan.tiers[1].severity': unknown key (known here: [window,"
                        + " slide, distinct-hosts-above, distinct-ports-at-least])");
        Files.writeString(file, "slow-scan:\n  tiers:\n    - {window: 24h, slide: 1h, distinct-ports-at-least: 50}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessage("configuration key 'slow-scan.tiers[0].distinct-hosts-above': is missing (expected a"
                        + " whole number)");
    }

    @Test
    void aLongScanMustOutlastTheSlideOfItsRule() {
        assertThatThrownBy(() -> loader.load(null, Map.of("slow-scan.suppression-period", "30m")))
                .hasMessageContaining(
                        "slow-scan.suppression-period (PT30M) must be at least slow-scan.tiers[1].slide (PT1H)");
        assertThatThrownBy(() -> loader.load(null, Map.of("distributed-scan.min-members", "257")))
                .hasMessageContaining("distributed-scan.min-members must be at most 256");
        assertThat(loader.load(null, Map.of("distributed-scan.min-members", "256")))
                .isNotNull();
    }

    @Test
    @Timeout(60) // a pipe opened as a database would wait for a writer
    void enrichmentDatabasesAreOpenedAtStart(@TempDir Path dir) throws Exception {
        Path notAsn = dir.resolve("asn.csv");
        Files.writeString(notAsn, "1.0.0.0,1.0.0.255,13335,Cloudflare\n1.0.4.0,1.0.7.255,AS-38803,Gtelecom\n");
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "enrichment.mmdb", "[" + dir.resolve("GeoLite2-City.mmdb") + "]",
                                "enrichment.asn-csv", "[" + notAsn + "]")))
                .hasMessageContaining("enrichment.mmdb no such file: " + dir.resolve("GeoLite2-City.mmdb"))
                .hasMessageContaining("enrichment.asn-csv cannot be read as AS ranges: " + notAsn
                        + " line 2: 'AS-38803'" + " is no AS number");
        Path notMmdb = dir.resolve("GeoLite2-Country.mmdb");
        Files.writeString(notMmdb, "not a database\n");
        assertThatThrownBy(() -> loader.load(null, Map.of("enrichment.mmdb", "[" + notMmdb + "]")))
                .hasMessageContaining("enrichment.mmdb cannot be read as a MaxMind-format database: " + notMmdb);
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> loader.load(null, Map.of("enrichment.asn-csv", "[" + empty + "]")))
                .hasMessageContaining(
                        "enrichment.asn-csv cannot be read as AS ranges: " + empty + " holds no AS ranges");
        Path binary = dir.resolve("country.mmdb");
        Files.write(binary, new byte[] {'1', ',', (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, '\n'});
        assertThatThrownBy(() -> loader.load(null, Map.of("enrichment.asn-csv", "[" + binary + "]")))
                .hasMessageContaining("enrichment.asn-csv cannot be read as AS ranges: " + binary
                        + " line 1: not UTF-8 text (a MaxMind .mmdb database goes in enrichment.mmdb)");
        Path pipe = dir.resolve("pipe.mmdb");
        assumeTrue(made(new ProcessBuilder("mkfifo", pipe.toString())), "mkfifo is not here");
        assertThatThrownBy(() -> loader.load(
                        null, Map.of("enrichment.mmdb", "[" + pipe + "]", "enrichment.asn-csv", "[" + dir + "]")))
                .as("opening a pipe would wait for a writer: the start would hang without a word")
                .hasMessageContaining("enrichment.mmdb not a file (a directory, a pipe or a device): " + pipe)
                .hasMessageContaining("enrichment.asn-csv not a file (a directory, a pipe or a device): " + dir);
    }

    private static boolean made(ProcessBuilder command) throws InterruptedException {
        try {
            return command.start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void severityAndTechniquesAreCheckedForEveryRule() {
        assertThatThrownBy(() -> loader.load(null, Map.of("connscan.severity", "urgent")))
                .hasMessage("configuration key 'connscan.severity': expected one of [low, medium, high, critical],"
                        + " got 'urgent'");
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "service-scan.techniques", "[T1046, T9999]",
                                "network-scan.internal-source.techniques", "[]",
                                "network-scan.suppression-period", "0s",
                                "event-time.max-ahead-of-clock", "0s")))
                .hasMessageContaining("event-time.max-ahead-of-clock must be positive, got 0s")
                .hasMessageContaining("service-scan.techniques lists T9999, which is not one of [T1021, T1046, T1078,")
                .hasMessageContaining("network-scan.internal-source.techniques must name at least one")
                .hasMessageContaining("network-scan.suppression-period must be positive");
    }

    /** Flink turns checkpointing off for an interval under 10 ms, and refuses such a timeout without naming it. */
    @Test
    void checkpointsFasterThanFlinkTakesAreRefusedByTheirKeys() {
        assertThatThrownBy(() ->
                        loader.load(null, Map.of("checkpointing.interval", "5ms", "checkpointing.timeout", "1ms")))
                .hasMessageContaining("checkpointing.interval must be at least 10ms (Flink's least), got 5ms")
                .hasMessageContaining("checkpointing.timeout must be at least 10ms (Flink's least), got 1ms");
        assertThatThrownBy(() -> loader.load(null, Map.of("checkpointing.timeout", "0s")))
                .hasMessageContaining("checkpointing.timeout must be positive, got 0s")
                .hasMessageNotContaining("at least");
        assertThat(loader.load(null, Map.of("checkpointing.interval", "10ms"))
                        .checkpointing()
                        .interval())
                .isEqualTo(Duration.ofMillis(10));
    }

    /** A set counts its cap's number of keys exactly; a threshold that needs one more is refused, named. */
    @Test
    void aThresholdMayNeedAsManyDistinctValuesAsTheCapHolds() {
        assertThat(loader.load(
                                null,
                                Map.of(
                                        "network-scan.distinct-hosts-above",
                                        "63",
                                        "network-scan.distinct-ports-at-least",
                                        "64"))
                        .rules()
                        .of(NetworkScanRule.KIND)
                        .own()
                        .distinctHostsAbove())
                .isEqualTo(63);
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.distinct-hosts-above", "64")))
                .hasMessageContaining("network-scan.distinct-hosts-above needs 65 distinct values, which"
                        + " detection.distinct-cap (64) cannot hold: raise the cap to 65 or more");
    }

    /** A network written without its prefix is one address: 10.0.0.0 would make only that address internal. */
    @Test
    void aNetworkWithoutItsPrefixIsRefusedNotTakenForOneAddress() {
        assertThatThrownBy(() -> loader.load(
                        null, Map.of("network.internal-cidrs", "['10.0.0.0', 'fd00:0:0:0::', '::ffff:10.0.0.7']")))
                .hasMessageContaining("network.internal-cidrs: '10.0.0.0' is one address, the first of a network"
                        + " rather than a host: write the network with its prefix (10.0.0.0/24, say), or 10.0.0.0/32"
                        + " for that one address")
                .hasMessageContaining("'fd00:0:0:0::' is one address, the first of a network rather than a host: write"
                        + " the network with its prefix (fd00::/64, say)")
                .hasMessageNotContaining("::ffff:10.0.0.7");
        assertThatThrownBy(() -> loader.load(null, Map.of("network.authorized-scanners", "['0.0.0.0', '::']")))
                .hasMessageContaining("'0.0.0.0' is the unspecified address, no host's: write 0.0.0.0/0 for every"
                        + " address, or leave it out")
                .hasMessageContaining("'::' is the unspecified address, no host's: write ::/0");
        assertThat(loader.load(null, Map.of("network.internal-cidrs", "[10.0.0.0/32, 10.0.0.7]"))
                        .network()
                        .internalCidrs())
                .containsExactly("10.0.0.0/32", "10.0.0.7");
    }

    @Test
    void aWalkParameterOutOfRangeIsNamed() {
        assertThatThrownBy(() -> loader.load(null, Map.of("trw-scan.false-positive", "2")))
                .hasMessageContaining("trw-scan.false-positive needs 0 < false-positive < detection < 1, got"
                        + " false-positive 2.0 and detection 0.99");
    }

    @Test
    void unreadableValuesNameTheKey() {
        assertThatThrownBy(() -> loader.load(null, Map.of("connscan.window", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connscan.window")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> loader.load(null, Map.of("connscan.window", "5")))
                .as("Flink would read a bare number as milliseconds")
                .hasMessage(
                        "configuration key 'connscan.window': expected a positive duration such as 90s, 5m or 1h (at most"
                                + " a year), got '5'");
        assertThatThrownBy(() -> loader.load(null, Map.of("event-time.by-format", "5m")))
                .hasMessageContaining("expected a section of names and values such as {zeek-conn: 5m}");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.count", "some")))
                .hasMessageContaining("network-scan.count")
                .hasMessageContaining("expected one of [probes, all], got 'some'");
    }

    @Test
    void wrongTypesAreNamedInTheConfigurationsWordsNotJavas() {
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.attempts-above", "1.5")))
                .hasMessage("configuration key 'network-scan.attempts-above': expected a whole number, got '1.5'");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.tumbling.window", "[1]")))
                .hasMessage(
                        "configuration key 'network-scan.tumbling.window': expected a positive duration such as 90s, 5m"
                                + " or 1h (at most a year), got '[1]'");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan", "5")))
                .hasMessageStartingWith("configuration key 'network-scan': expected a section with keys [enabled,");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.attempts-above", "")))
                .hasMessage("configuration key 'network-scan.attempts-above': expected a whole number, got ''");
        assertThatThrownBy(() -> loader.load(null, Map.of("parsing.timezone", "~")))
                .hasMessage("configuration key 'parsing.timezone': expected text, got 'nothing'");
    }

    @Test
    void aSingleValueIsAListOfOne() {
        assertThat(loader.load(null, Map.of("network.internal-cidrs", "10.0.0.0/8"))
                        .network()
                        .internalCidrs())
                .containsExactly("10.0.0.0/8");
    }

    @Test
    void noInternalRangeAtAllIsAnError() {
        assertThatThrownBy(() -> loader.load(null, Map.of("network.internal-cidrs", "[]")))
                .hasMessageContaining("network.internal-cidrs is empty");
    }

    @Test
    void aKeyGivenTwiceInOneFileIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("twice.yaml");
        Files.writeString(file, "network-scan:\n  attempts-above: 5\n  attempts-above: 7\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessageContaining("Duplicate field 'attempts-above'")
                .hasMessageContaining("line 3");
    }

    /** Jackson would read {@code *lab} as the text "lab": a second scanner labelled "lab", not "corp-vuln". */
    @Test
    void aYamlAliasIsRefusedRatherThanReadAsItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("aliases.yaml");
        Files.writeString(
                file,
                "known-scanners:\n"
                        + "  - {label: &lab corp-vuln, cidrs: [10.20.3.0/24], policy: keep}\n"
                        + "  - {label: *lab, cidrs: [10.20.7.0/24], policy: keep}\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessage("configuration file " + file
                        + ": line 3 refers to an anchor (*lab); YAML aliases are not read here: write the value out");
        assertThatThrownBy(() -> loader.load(null, Map.of("network-scan.attempts-above", "*many")))
                .hasMessageContaining("--set network-scan.attempts-above: ")
                .hasMessageContaining("(*many)");
        Files.writeString(file, "known-scanners:\n  - {label: corp-vuln, cidrs: [10.20.3.0/24], policy: keep}\n");
        assertThat(loader.load(file, Map.of()).knownScanners()).hasSize(1);
    }

    /** Of a stream of YAML documents Jackson reads the first: the second's settings were silently ignored. */
    @Test
    void aSecondYamlDocumentIsRefusedRatherThanIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("two.yaml");
        Files.writeString(file, "connscan:\n  severity: high\n---\nconnscan:\n  severity: low\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .hasMessage("configuration file " + file + ": line 4 starts a second YAML document (after ---),"
                        + " which would not be read: put its keys in the first");
        Files.writeString(file, "known-scanners:\n  - {label: corp-vuln, cidrs: [10.20.3.0/24], policy: keep}\n---\n");
        assertThat(loader.load(file, Map.of()).knownScanners())
                .as("one document, closed by --- as generators write it")
                .hasSize(1);
        Files.writeString(file, "---\nknown-scanners:\n  - {label: corp-vuln, cidrs: [10.20.3.0/24], policy: keep}\n");
        assertThat(loader.load(file, Map.of()).knownScanners())
                .as("one document, opened by ---")
                .hasSize(1);
    }

    /**
     * Two inline entries for one block, told otherwise, are refused as two lines of the file are (a critical host
     * listed again as low read as low); the same entry twice (its tags in any order) is not.
     */
    @Test
    void oneBlockDescribedTwiceOtherwiseInlineIsRefused() {
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "inventory.assets",
                                "[{cidr: 10.3.1.50, criticality: critical}, {cidr: 10.3.1.50/32, criticality: low}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inventory.assets[1]")
                .hasMessageContaining(
                        "describes 10.3.1.50/32 (low) otherwise than inventory.assets[0] does (critical)");
        assertThat(loader.load(
                                null,
                                Map.of(
                                        "inventory.assets",
                                        "[{cidr: 10.3.1.50, criticality: low, tags: [a, b]},"
                                                + " {cidr: 10.3.1.50/32, criticality: low, tags: [b, a]}]"))
                        .inventory()
                        .assets())
                .hasSize(2);
    }

    @Test
    void valuesThatCannotWorkAreAllReported() {
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "network.internal-cidrs",
                                "[10.0.0.0/40]",
                                "connscan.slide",
                                "7m",
                                "network-scan.distinct-hosts-above",
                                "100",
                                "alerting.growth-factor",
                                "1",
                                "flow-pairing.answer-within",
                                "2h",
                                "network.authorized-scanners",
                                "[198.51.100.7/32, 0.0.0.0/0, '::/0']",
                                "known-scanners",
                                "[{label: censys, cidrs: [162.142.125.0/24], policy: drop},"
                                        + " {label: censys, cidrs: [162.142.125.0/24], policy: keep}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("network.authorized-scanners lists 0.0.0.0/0, which authorises every IPv4 source")
                .hasMessageContaining("network.authorized-scanners lists ::/0, which authorises every IPv6 source")
                .hasMessageContaining("known-scanners[1].cidrs lists 162.142.125.0/24 under policy")
                .hasMessageContaining("which known-scanners[0] lists under")
                .hasMessageContaining("network.internal-cidrs: '10.0.0.0/40'")
                .hasMessageContaining("connscan.window (PT5M) must be a whole multiple of connscan.slide (PT7M)")
                .hasMessageContaining("network-scan.distinct-hosts-above needs 101 distinct values")
                .hasMessageContaining("alerting.growth-factor must be greater than 1")
                .hasMessageContaining("flow-pairing.answer-within must be at most 5m");
    }

    @Test
    void aTopicMayOverrideItsFormatsEventTimeBound() {
        ScanwatchConfig config = withInputs(
                "[{topic: edge, format: zeek-conn}, {topic: branch, format: nfdump-csv, max-out-of-orderness: 10m}]");
        assertThat(config.kafka().inputs())
                .extracting(input -> input.bound(config.eventTime()))
                .containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(10));
        assertThatThrownBy(() -> withInputs("[{topic: branch, format: nfdump-csv, max-out-of-orderness: -1m}]"))
                .hasMessageContaining("kafka.inputs[0].max-out-of-orderness': expected a positive duration");
        for (String notPositive : new String[] {"PT-5S", "0s"}) {
            assertThatThrownBy(() ->
                            withInputs("[{topic: edge, format: zeek-conn, max-out-of-orderness: " + notPositive + "}]"))
                    .hasMessageContaining("kafka.inputs[0].max-out-of-orderness must be positive");
        }
    }

    /** A topic of a sensor in another zone than {@code parsing.timezone}'s names its own, checked at start. */
    @Test
    void aTopicMayNameTheZoneOfItsTimes() {
        ScanwatchConfig config = withInputs(
                "[{topic: edge, format: zeek-conn}, {topic: ny-auth, format: sshd, timezone: America/New_York}]");
        assertThat(config.kafka().inputs())
                .extracting(input -> config.parsing().in(input.timezone()).timezone())
                .containsExactly("UTC", "America/New_York");
        assertThatThrownBy(() -> withInputs(
                        "[{topic: a, format: sshd, timezone: EST5}, {topic: b, format: vpcflow, timezone: UTC}]"))
                .hasMessageContaining("kafka.inputs[0].timezone: 'EST5' is not a time zone")
                .hasMessageContaining("kafka.inputs[1].timezone: vpcflow writes Unix time or an offset");
        assertThatThrownBy(() -> withInputs("[{topic: a, format: sshd, timezone: +1}]"))
                .as("YAML reads an unquoted +1 as a number")
                .hasMessageContaining("kafka.inputs[0].timezone: '1' is not a time zone")
                .hasMessageContaining("did you mean +01:00?");
        assertThat(loader.load(null, Map.of("parsing.timezone", "+01:00"))
                        .parsing()
                        .in(null)
                        .timezone())
                .isEqualTo("+01:00");
    }

    private ScanwatchConfig withInputs(String inputs) {
        return loader.load(null, Map.of("kafka.bootstrap-servers", "localhost:9092", "kafka.inputs", inputs));
    }

    /** A status with no control changes to report on would stay empty for ever. */
    @Test
    void aControlStatusNeedsAControlInput() {
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "control.status-file", "status.jsonl",
                                "control.status-topic", "scan-control-status")))
                .hasMessageContaining("control.status-file is set but there is no control input to report on: set"
                        + " control.file or control.kafka-topic, or leave control.status-file empty")
                .hasMessageContaining("control.status-topic is set but there is no control input");
        assertThat(loader.load(
                                null,
                                Map.of(
                                        "kafka.bootstrap-servers", "localhost:9092",
                                        "control.kafka-topic", "scan-control",
                                        "control.status-topic", "scan-control-status"))
                        .control()
                        .statusTopic())
                .isEqualTo("scan-control-status");
    }

    /** A name Kafka refuses is said at the start, not by a producer after the replay's output files were emptied. */
    @Test
    void topicNamesAreKafkasOwn() {
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "kafka.alerts-topic", "bad topic!",
                                "kafka.inputs", "[{topic: 'edge/conn', format: zeek-conn}]",
                                "control.status-topic", "..")))
                .hasMessageContaining("kafka.alerts-topic 'bad topic!' is not a Kafka topic name")
                .hasMessageContaining("kafka.inputs[0].topic 'edge/conn' is not a Kafka topic name")
                .hasMessageContaining("control.status-topic '..' is not a Kafka topic name");
        assertThat(loader.load(
                        null,
                        Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "kafka.alerts-topic", "scan_alerts.v2-eu")))
                .isNotNull();
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/scanwatch.yaml"), Map.of()))
                .hasMessageContaining("/nonexistent/scanwatch.yaml");
    }

    @Test
    void serviceCatalogMistakesAreNamed() {
        assertThatThrownBy(() -> loader.load(
                        null,
                        Map.of(
                                "service-scan.services",
                                "[{name: mongodb, ports: [27017]}, {name: Mongo2, ports: [27017, 70000]}]")))
                .hasMessageContaining("service-scan.services[1].name")
                .hasMessageContaining("port 27017 belongs to two services")
                .hasMessageContaining("70000 is not a port");
    }
}
