package io.scanwatch.job.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.ScanFacts;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The matches one logon completes wait for the watermark, one per rule leaves, and nothing stays behind. */
class ChooseScanFollowedTest {
    private static final long LOGON = 1_772_443_000_000L;

    private static Detection match(String rule, String scan, long scanEnd, boolean probed) {
        Detection d = new Detection();
        d.rule = rule;
        d.sourceIp = "203.0.113.50";
        d.follows = new ScanFacts();
        d.follows.alertId = scan;
        d.follows.windowEnd = scanEnd;
        d.logons = new LogonEvidence();
        d.logons.atProbedTargets = probed;
        return d;
    }

    @Test
    void oneMatchPerRuleAndLogonFollowingTheLikeliestScanAndNoStateLeft() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Detection, Detection> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ChooseScanFollowed()), d -> d.sourceIp, Types.STRING)) {
            harness.open();
            harness.processElement(match("scan_then_logon", "sweep", LOGON - 600_000, true), LOGON);
            harness.processElement(match("scan_then_logon", "ports", LOGON - 300_000, true), LOGON);
            harness.processElement(match("scan_then_logon", "later", LOGON - 60_000, false), LOGON);
            harness.processElement(match("scan_then_logon_success", "sweep", LOGON - 600_000, false), LOGON);
            harness.processElement(match("scan_then_logon", "next logon", LOGON - 60_000, false), LOGON + 1);
            harness.processWatermark(LOGON - 1);
            assertThat(harness.extractOutputValues())
                    .as("not before the watermark passes the logon")
                    .isEmpty();

            harness.processWatermark(LOGON);
            assertThat(harness.extractOutputValues())
                    .extracting(d -> d.rule + " " + d.follows.alertId)
                    .containsExactly("scan_then_logon ports", "scan_then_logon_success sweep");
            assertThat(harness.numEventTimeTimers()).as("the next logon's").isOne();

            harness.processWatermark(LOGON + 1);
            assertThat(harness.extractOutputValues()).hasSize(3);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }
}
