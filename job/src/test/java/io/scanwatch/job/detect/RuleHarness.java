package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;

/** One rule's detector in a harness, fed only what the rule accepts, as the job's filter before it would. */
final class RuleHarness<ACC> implements AutoCloseable {
    private final DetectionRule<ACC> rule;
    final DetectorHarness harness;

    RuleHarness(DetectionRule<ACC> rule) throws Exception {
        this(rule, null);
    }

    /** @param restore a snapshot of an earlier harness of the rule, or null */
    RuleHarness(DetectionRule<ACC> rule, OperatorSubtaskState restore) throws Exception {
        this.rule = rule;
        this.harness = DetectorHarness.open(new PanedWindowDetector(rule), new RuleKey(rule), restore);
    }

    void feed(ConnectionEvent event) throws Exception {
        if (rule.accepts(event)) {
            harness.processElement(event, event.timestamp);
        }
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
