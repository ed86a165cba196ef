package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * A detector in a harness as the job runs it: events on the keyed input, control changes on the broadcast input,
 * whose watermark is final once the harness is open (as when the job's control records have been read).
 */
public final class DetectorHarness
        extends KeyedTwoInputStreamOperatorTestHarness<String, ConnectionEvent, ControlChange, Detection> {
    public DetectorHarness(PanedWindowDetector detector, KeySelector<ConnectionEvent, String> key) throws Exception {
        super(new PanedWindowOperator(detector), key, null, Types.STRING, 1, 1, 0);
    }

    /** The default rules keyed by source, with 10.0.0.0/8 internal and a distinct cap of 1,000. */
    public static List<DetectionRule<?>> defaultRulesKeyedBySource() {
        return RuleRegistry.rules(
                        Detectors.configLoader().defaults(),
                        new RuleContext(
                                new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of())), 1000))
                .stream()
                .filter(rule -> rule.keyedBy().equals(DetectionRule.BY_SOURCE))
                .toList();
    }

    /** A harness of the detector, restored from {@code restore} (a snapshot of an earlier one) if given, open. */
    public static DetectorHarness open(
            PanedWindowDetector detector, KeySelector<ConnectionEvent, String> key, OperatorSubtaskState restore)
            throws Exception {
        DetectorHarness harness = new DetectorHarness(detector, key);
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    /**
     * A harness whose control input has not given its final watermark yet: the changes there are at start may still
     * come, after records they judge ({@link #changesAtStartRead()}).
     */
    public static DetectorHarness openBeforeTheChangesAtStart(
            PanedWindowDetector detector, KeySelector<ConnectionEvent, String> key) throws Exception {
        DetectorHarness harness = new DetectorHarness(detector, key);
        harness.changesAtStartToCome = true;
        harness.open();
        return harness;
    }

    private boolean changesAtStartToCome;

    @Override
    public void open() throws Exception {
        super.open();
        if (!changesAtStartToCome) {
            changesAtStartRead();
        }
    }

    /** The control input's final watermark: the changes there were at start have all come. */
    public void changesAtStartRead() throws Exception {
        processWatermark2(Watermark.MAX_WATERMARK);
    }

    public void processElement(ConnectionEvent event, long timestamp) throws Exception {
        processElement1(event, timestamp);
    }

    public void processWatermark(long watermark) throws Exception {
        processWatermark1(new Watermark(watermark));
    }

    public void change(ControlChange change) throws Exception {
        processElement2(change, change.from);
    }
}
