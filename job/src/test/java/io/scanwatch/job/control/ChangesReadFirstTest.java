package io.scanwatch.job.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.enrich.Criticality;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.alert.policy.MarkPolicyHolds;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.config.ConfigLoader;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A detection that reaches the policy marks before the inventory change it falls under: held until the control input
 * says its changes at start have come, then marked by that change (RollUpsITCase's flake under load).
 */
class ChangesReadFirstTest {
    private static final long T = 1_772_442_000_000L;
    private static final String VAULT = "10.0.1.99";
    private static final ControlChange INVENTORY = ControlChange.of(
            "vault",
            T,
            "{\"inventory\": {\"assets\": [{\"cidr\": \"" + VAULT + "\", \"criticality\": \"critical\"}]}}");

    private TwoInputStreamOperatorTestHarness<Detection, ControlChange, Detection> harness;

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static TwoInputStreamOperatorTestHarness<Detection, ControlChange, Detection> opened(
            OperatorSubtaskState restored) throws Exception {
        ConfigLoader loader = Detectors.configLoader();
        ObjectNode tree = loader.tree(null, Map.of());
        var harness = new TwoInputStreamOperatorTestHarness<>(new ChangesReadFirst<>(
                new MarkPolicyHolds(loader.load(tree), new ConfigLayers(tree, Detectors::configLoader)),
                TypeInformation.of(Detection.class)));
        harness.setup();
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    private static Detection reachingTheVault(long windowEnd) {
        Detection detection = new Detection();
        detection.rule = "network_scan";
        detection.sourceIp = "203.0.113.66";
        detection.windowEnd = windowEnd;
        detection.tally = new ProbeTally();
        detection.tally.hosts.add(VAULT, 1, 64);
        return detection;
    }

    private List<String> marked() {
        return harness.extractOutputStreamRecords().stream()
                .map(record -> record.getTimestamp() + " " + ((Detection) record.getValue()).raisingCriticality)
                .toList();
    }

    @Test
    void aDetectionBeforeTheChangeWaitsForTheControlInputsFinalWatermark() throws Exception {
        harness = opened(null);
        harness.processElement1(reachingTheVault(T + 60_000), T + 59_999);
        assertThat(harness.getOutput()).as("held").isEmpty();

        harness.processElement2(INVENTORY, T);
        harness.processWatermark2(Watermark.MAX_WATERMARK);
        assertThat(marked()).containsExactly(T + 59_999 + " " + Criticality.CRITICAL);

        harness.processElement1(reachingTheVault(T - 60_000), T - 60_001);
        assertThat(marked())
                .as("passes at once now, by the configuration at its time")
                .containsExactly(T + 59_999 + " " + Criticality.CRITICAL, T - 60_001 + " null");
    }

    @Test
    void anIdleOrEndedControlInputLetsTheHeldDetectionsGo() throws Exception {
        harness = opened(null);
        harness.processElement1(reachingTheVault(T + 60_000), T + 59_999);
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        assertThat(marked()).containsExactly(T + 59_999 + " null");
        harness.close();

        harness = opened(null);
        harness.processElement1(reachingTheVault(T + 60_000), T + 59_999);
        harness.processElement2(INVENTORY, T);
        harness.endInput2();
        assertThat(marked()).containsExactly(T + 59_999 + " " + Criticality.CRITICAL);
    }

    /** As the detectors: a Kafka reader quiet at start turns idle, then reads the changes and gives its end. */
    @Test
    void aControlInputThatWakesBeforeItsEndHoldsTheDetectionsAgain() throws Exception {
        harness = opened(null);
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        harness.processElement1(reachingTheVault(T - 60_000), T - 60_001);
        harness.processWatermarkStatus2(WatermarkStatus.ACTIVE);
        harness.processElement1(reachingTheVault(T + 60_000), T + 59_999);
        assertThat(marked()).containsExactly(T - 60_001 + " null");

        harness.processElement2(INVENTORY, T);
        harness.processWatermark2(Watermark.MAX_WATERMARK);
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        harness.processWatermarkStatus2(WatermarkStatus.ACTIVE);
        harness.processElement1(reachingTheVault(T + 120_000), T + 119_999);
        assertThat(marked())
                .as("past its end, a change that wakes it is applied as it comes")
                .containsExactly(
                        T - 60_001 + " null",
                        T + 59_999 + " " + Criticality.CRITICAL,
                        T + 119_999 + " " + Criticality.CRITICAL);
    }

    @Test
    void aHeldDetectionIsKeptInTheCheckpointAndWaitsAgainAfterTheRestore() throws Exception {
        harness = opened(null);
        harness.processElement1(reachingTheVault(T + 60_000), T + 59_999);
        OperatorSubtaskState checkpoint = harness.snapshot(1, T);
        harness.close();

        harness = opened(checkpoint);
        assertThat(harness.getOutput()).isEmpty();
        harness.processElement2(INVENTORY, T);
        harness.processWatermark2(Watermark.MAX_WATERMARK);
        assertThat(marked()).containsExactly(T + 59_999 + " " + Criticality.CRITICAL);
    }

    @Test
    void theOperatorsTimeWaitsForTheHeldDetections() throws Exception {
        harness = opened(null);
        harness.processElement1(reachingTheVault(T + 60_000), T + 59_999);
        harness.processWatermark1(new Watermark(T + 59_999));
        harness.processWatermark2(Watermark.MAX_WATERMARK);
        assertThat(harness.getOutput())
                .extracting(element -> element instanceof StreamRecord<?> ? "record" : element.toString())
                .containsExactly("record", new Watermark(T + 59_999).toString());
    }
}
