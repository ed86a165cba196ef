package io.scanwatch.job.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.ControlRecord;
import io.scanwatch.job.model.ControlStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Control records: accepted ones go on, anything else is rejected with its reason and changes nothing. */
class ReadControlChangesTest {
    private static final long WRITTEN = Instant.parse("2026-11-30T08:00:00Z").toEpochMilli();

    private OneInputStreamOperatorTestHarness<ControlRecord, ControlChange> harness;

    @BeforeEach
    void open() throws Exception {
        ConfigLayers layers = new ConfigLayers(Detectors.configLoader().tree(null, Map.of()), Detectors::configLoader);
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new ReadControlChanges(layers));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void read(String text) throws Exception {
        harness.processElement(ControlRecord.of(text, "control-topic/0@7", WRITTEN), WRITTEN);
    }

    private List<ControlStatus> statuses() {
        return harness.getSideOutput(ReadControlChanges.STATUS).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void anAcceptedChangeGoesOnWithItsTime() throws Exception {
        read("{\"version\": \"v1\", \"from\": \"2026-03-02T09:06:30Z\","
                + " \"set\": {\"network-scan\": {\"distinct-hosts-above\": 5}}}");
        read("{\"version\": \"v2\", \"set\": {\"network-scan\": {\"distinct-hosts-above\": 6}}}");
        read("{\"version\": \"v3\", \"from\": 1772442000000, \"set\": {}}");
        read("\uFEFF{\"version\": \"after a byte order mark\", \"set\": {}}");
        List<ControlChange> changes = harness.extractOutputValues();
        assertThat(changes).extracting(c -> c.version).containsExactly("v1", "v2", "v3", "after a byte order mark");
        assertThat(changes.get(0).from)
                .isEqualTo(Instant.parse("2026-03-02T09:06:30Z").toEpochMilli());
        assertThat(changes.get(1).from).as("no time given: when it was written").isEqualTo(WRITTEN);
        assertThat(changes.get(2).from).isEqualTo(1_772_442_000_000L);
        assertThat(changes.get(0).set).isEqualTo("{\"network-scan\":{\"distinct-hosts-above\":5}}");
        assertThat(statuses()).allSatisfy(status -> {
            assertThat(status.accepted).isTrue();
            assertThat(status.origin).isEqualTo("control-topic/0@7");
        });
    }

    @Test
    void aChangeThatDropsWhatTheOneBeforeItSetSaysSo() throws Exception {
        read(
                "{\"version\": \"allow-50\", \"from\": \"2026-03-02T09:00:00Z\", \"set\": {\"network\":"
                        + " {\"authorized-scanners\": [\"203.0.113.50/32\"]}, \"network-scan\": {\"distinct-hosts-above\": 9}}}");
        read("{\"version\": \"lower\", \"from\": \"2026-03-02T10:00:00Z\","
                + " \"set\": {\"network-scan\": {\"distinct-hosts-above\": 5}}}");
        read("{\"version\": \"lower-again\", \"from\": \"2026-03-02T11:00:00Z\","
                + " \"set\": {\"network-scan\": {\"distinct-hosts-above\": 4}}}");
        read("{\"version\": \"in-between\", \"from\": \"2026-03-02T09:30:00Z\","
                + " \"set\": {\"network\": {\"authorized-scanners\": [\"203.0.113.50/32\"]}}}");
        assertThat(statuses()).extracting(s -> s.accepted).containsOnly(true);
        assertThat(statuses().get(0).note).as("nothing before it").isNull();
        assertThat(statuses().get(1).note)
                .contains("replaces change 'allow-50' whole")
                .contains("(network.authorized-scanners)")
                .doesNotContain("distinct-hosts-above");
        assertThat(statuses().get(2).note).as("sets what the one before set").isNull();
        assertThat(statuses().get(3).note)
                .as("judged against the change before it in time, not the last read")
                .contains("'allow-50'")
                .contains("(network-scan.distinct-hosts-above)");
    }

    @Test
    void everythingElseIsRejectedWithItsReason() throws Exception {
        read("not json");
        read("[1]");
        read("{\"set\": {}}");
        read("{\"version\": \"v\", \"from\": \"yesterday\", \"set\": {}}");
        read("{\"version\": \"v\", \"set\": {}, \"apply\": true}");
        read("{\"version\": \"v\"}");
        read("{\"version\": \"v\", \"set\": {\"network-scan\": {\"distinct-hosts-above\": -1}}}");
        read("{\"version\": \"v\", \"set\": {\"connscan\": {\"window\": \"2m\"}}}");
        read("   ");
        read("{\"version\": \"v\", \"set\": {}} and more");
        read("{\"version\": \"v\", \"set\": {}, \"set\": {}}");
        read("{\"version\": \"seconds\", \"from\": 1772442000, \"set\": {}}");
        read("{\"version\": \"huge\", \"from\": 99999999999999999999, \"set\": {}}");
        read("{\"version\": \"far\", \"from\": \"+10000-01-01T00:00:00Z\", \"set\": {}}");
        read("{\"version\": \"named\", \"set\": {}, \"when\": 1}");
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(statuses()).extracting(s -> s.accepted).containsOnly(false);
        assertThat(statuses())
                .extracting(s -> s.reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("not JSON"),
                        r -> assertThat(r).contains("is a JSON object"),
                        r -> assertThat(r).contains("'version' must name the change"),
                        r -> assertThat(r).contains("'from' must be a time"),
                        r -> assertThat(r).contains("unknown key 'apply'"),
                        r -> assertThat(r).contains("'set' is missing"),
                        r -> assertThat(r).contains("network-scan.distinct-hosts-above"),
                        r -> assertThat(r).contains("'connscan.window' cannot change while the job runs"),
                        r -> assertThat(r).startsWith("not JSON"),
                        r -> assertThat(r).startsWith("not JSON").contains("Duplicate field 'set'"),
                        r -> assertThat(r).contains("seconds?"),
                        r -> assertThat(r).contains("epoch milliseconds from 1973 to 9999"),
                        r -> assertThat(r).contains("before the year 10000"),
                        r -> assertThat(r).contains("unknown key 'when'"));
        assertThat(statuses().get(statuses().size() - 1).version)
                .as("a rejected document still names its version")
                .isEqualTo("named");
        assertThat(statuses())
                .extracting(s -> s.version)
                .as("also one refused as JSON, when it has one: text after it, a duplicated key")
                .containsExactly(null, null, "", "v", "v", "v", "v", "v", "v", "v", "seconds", "huge", "far", "named");
    }
}
