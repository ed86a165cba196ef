package io.scanwatch.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.job.Detectors;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.SlowScanRule;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** What a live change may touch, and that it is checked as the start-up configuration is. */
class ConfigLayersTest {
    private final ConfigLoader loader = Detectors.configLoader();
    private final ConfigLayers layers = new ConfigLayers(
            loader.tree(null, Map.of("network.authorized-scanners", "[10.20.0.250/32]")), Detectors::configLoader);

    @Test
    void thresholdsSeveritiesAndListsChangeOverTheStartUpConfiguration() {
        ScanwatchConfig changed = layers.with("""
                {"network-scan": {"distinct-hosts-above": 5, "severity": "high"},
                 "slow-scan": {"tiers": [
                    {"window": "1h", "slide": "5m", "distinct-hosts-above": 10, "distinct-ports-at-least": 50},
                    {"window": "24h", "slide": "1h", "distinct-hosts-above": 200, "distinct-ports-at-least": 50}]},
                 "network": {"authorized-scanners": ["10.20.0.250/32", "203.0.113.50"]},
                 "known-scanners": [{"label": "censys", "cidrs": ["162.142.125.0/24"], "policy": "lower"}],
                 "inventory": {"assets": [{"cidr": "10.20.5.15", "criticality": "critical"}]}}
                """);
        assertThat(changed.rules().own(NetworkScanRule.KIND).distinctHostsAbove())
                .isEqualTo(5);
        assertThat(changed.rules().own(SlowScanRule.KIND).tiers().get(0).distinctHostsAbove())
                .isEqualTo(10);
        assertThat(changed.network().authorizedScanners()).contains("203.0.113.50");
        assertThat(changed.knownScanners()).hasSize(1);
        assertThat(changed.inventory().assets()).hasSize(1);
        assertThat(loader.load(loader.tree(null, Map.of()))
                        .rules()
                        .own(NetworkScanRule.KIND)
                        .distinctHostsAbove())
                .as("the start-up configuration is left as it was")
                .isEqualTo(20);
    }

    @Test
    void whatShapesTheJobCannotChangeWhileItRuns() {
        assertThatThrownBy(() -> layers.with("{\"network-scan\": {\"sliding\": {\"window\": \"10m\"}}}"))
                .hasMessageContaining("'network-scan.sliding.window' cannot change while the job runs");
        assertThatThrownBy(() -> layers.with("{\"kafka\": {\"alerts-topic\": \"x\"}}"))
                .hasMessageContaining("'kafka' cannot change while the job runs");
        assertThatThrownBy(() -> layers.with("{\"netwrk-scan\": {}}"))
                .hasMessageContaining("'netwrk-scan': unknown configuration key (known: ")
                .hasMessageContaining("network-scan")
                .hasMessageContaining("did you mean 'network-scan'?")
                .hasMessageNotContaining("cannot change");
        assertThatThrownBy(() -> layers.with("{\"network-scan\": {\"window\": \"2m\"}}"))
                .as("no such key: told so, not that it cannot change")
                .hasMessageContaining("configuration key 'network-scan.window': unknown key")
                .hasMessageNotContaining("cannot change");
        assertThatThrownBy(() -> layers.with("{\"network-scan\": {\"tumbling\": {\"windows\": \"5m\"}}}"))
                .hasMessageContaining("configuration key 'network-scan.tumbling.windows': unknown key")
                .hasMessageContaining("did you mean 'window'?")
                .hasMessageNotContaining("cannot change");
        assertThatThrownBy(() -> layers.with("{\"network\": {\"authorised-scanners\": []}}"))
                .hasMessageContaining("'network.authorised-scanners': unknown configuration key (known here: ")
                .hasMessageContaining("did you mean 'authorized-scanners'?");
        assertThatThrownBy(() -> layers.with("{\"network\": {\"internal-cidrs\": [\"10.0.0.0/8\"]}}"))
                .hasMessageContaining("'network.internal-cidrs' cannot change");
        assertThatThrownBy(() -> layers.with("{\"distributed-portscan\": {\"enabled\": true}}"))
                .hasMessageContaining("was disabled at start");
        assertThatThrownBy(() -> layers.with("{\"distributed-portscan\": {\"enabled\": \"TRUE\"}}"))
                .hasMessageContaining("was disabled at start");
        assertThatThrownBy(() -> layers.with("{\"trw-scan\": {\"scanner-success\": 0.1}}"))
                .hasMessageContaining("'trw-scan' cannot change");
        assertThatThrownBy(() -> layers.with("{\"slow-scan\": {\"tiers\": [{\"window\": \"2h\", \"slide\": \"5m\","
                        + " \"distinct-hosts-above\": 50, \"distinct-ports-at-least\": 50}]}}"))
                .hasMessageContaining("tiers may change their thresholds only");
        assertThatThrownBy(() -> layers.with("{\"network\": {\"authorized-scanners\": [\"203.0.113.50\"]}}"))
                .hasMessageContaining("must keep 10.20.0.250/32");
    }

    @Test
    void aDurationMayBeRepeatedHoweverItIsWritten() {
        ScanwatchConfig same = layers.with("{\"network-scan\": {\"sliding\": {\"window\": \"PT5M\"},"
                + " \"tumbling\": {\"window\": \"60s\"}, \"distinct-hosts-above\": 9}}");
        assertThat(same.rules().own(NetworkScanRule.KIND).distinctHostsAbove()).isEqualTo(9);
        assertThatThrownBy(() -> layers.with("{\"network-scan\": {\"sliding\": {\"window\": \"PT6M\"}}}"))
                .hasMessageContaining("'network-scan.sliding.window' cannot change while the job runs");
    }

    @Test
    void tiersMayChangeTheirThresholdsAloneAndKeepTheirWindows() {
        ScanwatchConfig changed = layers.with("{\"slow-scan\": {\"tiers\": [{\"distinct-hosts-above\": 30,"
                + " \"distinct-ports-at-least\": 40}, {\"window\": \"PT24H\", \"slide\": \"60m\","
                + " \"distinct-hosts-above\": 150, \"distinct-ports-at-least\": 50}]}}");
        SlowScanRule.Tier hour = changed.rules().own(SlowScanRule.KIND).tiers().get(0);
        assertThat(hour.window()).isEqualTo(Duration.ofHours(1));
        assertThat(hour.slide()).isEqualTo(Duration.ofMinutes(5));
        assertThat(hour.distinctHostsAbove()).isEqualTo(30);
        assertThat(changed.rules().own(SlowScanRule.KIND).tiers().get(1).distinctHostsAbove())
                .isEqualTo(150);
        assertThat(layers.accepted("{\"slow-scan\": {\"tiers\": [{\"distinct-hosts-above\": 30,"
                                + " \"distinct-ports-at-least\": 40}, {\"distinct-hosts-above\": 150,"
                                + " \"distinct-ports-at-least\": 50}]}}")
                        .rules()
                        .own(SlowScanRule.KIND)
                        .tiers())
                .as("a change bound again where it is applied keeps the windows too")
                .extracting(SlowScanRule.Tier::window)
                .containsExactly(Duration.ofHours(1), Duration.ofHours(24));
        SlowScanRule.Tier oneThreshold = layers.with(
                        "{\"slow-scan\": {\"tiers\": [{\"distinct-hosts-above\": 30}, {}]}}")
                .rules()
                .own(SlowScanRule.KIND)
                .tiers()
                .get(0);
        assertThat(oneThreshold.distinctHostsAbove()).isEqualTo(30);
        assertThat(oneThreshold.distinctPortsAtLeast())
                .as("what a tier leaves out stays as it started")
                .isEqualTo(50);
        assertThatThrownBy(() -> layers.with("{\"slow-scan\": {\"tiers\": [{\"distinct-hosts-above\": 30,"
                        + " \"distinct-ports-at-least\": 40}]}}"))
                .hasMessageContaining("give as many tiers as at start (2)")
                .hasMessageContaining("started with [{window: 1h, slide: 5m}, {window: 24h, slide: 1h}]");
    }

    @Test
    void whatStaysAsItWasMayBeRepeated() {
        ScanwatchConfig same = layers.with("{\"network-scan\": {\"sliding\": {\"window\": \"5m\"},"
                + " \"distinct-hosts-above\": 9}, \"network\": {\"authorized-scanners\": [\"10.20.0.250\"]}}");
        assertThat(same.rules().own(NetworkScanRule.KIND).distinctHostsAbove()).isEqualTo(9);
    }

    @Test
    void aChangeIsCheckedAsTheStartUpConfigurationIs() {
        assertThatThrownBy(() -> layers.with("{\"network-scan\": {\"distinct-hosts-above\": \"many\"}}"))
                .hasMessageContaining("network-scan.distinct-hosts-above")
                .hasMessageContaining("expected a whole number");
        assertThatThrownBy(() -> layers.with("{\"network-scan\": {\"distinct-hosts-abov\": 5}}"))
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> layers.with("{\"known-scanners\": [{\"label\": \"x\", \"cidrs\": [\"10.0.0.300\"],"
                        + " \"policy\": \"keep\"}]}"))
                .hasMessageContaining("known-scanners[0].cidrs");
        assertThatThrownBy(() -> layers.with("[1, 2]")).hasMessageContaining("must be a section");
        assertThatThrownBy(() -> layers.with("{\"network-scan\": ")).hasMessageContaining("is not JSON");
    }

    @Test
    void travelsToTaskManagersAndDerivesTheSameThere() throws Exception {
        ConfigLayers copy = InstantiationUtil.clone(layers);
        assertThat(copy.with("{\"network-scan\": {\"distinct-hosts-above\": 7}}")
                        .rules()
                        .own(NetworkScanRule.KIND)
                        .distinctHostsAbove())
                .isEqualTo(7);
    }
}
