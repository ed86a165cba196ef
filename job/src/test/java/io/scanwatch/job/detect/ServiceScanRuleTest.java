package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Internal hosts reaching many external hosts on one service's ports, and which of their attempts count. */
class ServiceScanRuleTest {
    private static final long T0 = 1_772_445_600_000L;
    private static final String SOURCE = "10.17.0.6";
    /** The shipped catalogue's ssh, and a site's ssh that counts probes only. */
    private static final String SSH_PROBES_ONLY =
            "[{name: ssh, ports: [22], count: probes}, {name: mongodb, ports: [27017]}]";

    /**
     * Fifteen sessions from one internal host to fifteen external hosts, five seconds apart, all with the same
     * outcome: as an Ansible run to cloud machines (or password spraying at servers that answer) when they exchange
     * data, as a sweep when nothing answers.
     */
    private static List<Detection> fifteenSessions(Map<String, String> settings, int port, Outcome outcome)
            throws Exception {
        ScanwatchConfig config = Detectors.configLoader().load(null, settings);
        ServiceScanRule rule = new ServiceScanRule(config.rules().of(ServiceScanRule.KIND), 64);
        try (RuleHarness<ProbeTally> detector = new RuleHarness<>(rule)) {
            for (int i = 0; i < 15; i++) {
                detector.feed(
                        tcp(T0 + i * 5_000L, SOURCE, "52.1.2." + (i + 1), port, outcome, Direction.INTERNAL_EXTERNAL));
            }
            detector.harness.processWatermark(Long.MAX_VALUE);
            return detector.harness.extractOutputValues();
        }
    }

    @ParameterizedTest(name = "ssh probes only: {0}; port {1}, {2}: {3}")
    @CsvSource({
        "false, 22, COMPLETED, ssh_scan_internal_external",
        "false, 5432, COMPLETED, postgres_scan_internal_external",
        "true, 22, COMPLETED, ''",
        "true, 22, UNANSWERED, ssh_scan_internal_external",
        "true, 22, ABORTED, ssh_scan_internal_external",
        "true, 22, UNKNOWN, ssh_scan_internal_external",
        "true, 27017, COMPLETED, mongodb_scan_internal_external",
    })
    void aServiceCountsEveryAttemptUnlessItCountsProbes(boolean probesOnly, int port, Outcome outcome, String rule)
            throws Exception {
        Map<String, String> settings = probesOnly ? Map.of("service-scan.services", SSH_PROBES_ONLY) : Map.of();
        List<Detection> detections = fifteenSessions(settings, port, outcome);
        if (rule.isEmpty()) {
            assertThat(detections).as("sessions that exchanged data").isEmpty();
        } else {
            assertThat(detections).isNotEmpty().allSatisfy(d -> {
                assertThat(d.rule).isEqualTo(rule);
                assertThat(d.sourceIp).isEqualTo(SOURCE);
            });
            assertThat(detections.get(0).tally.hosts.distinct()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void countIsProbesOrAllAndEveryAttemptWhenLeftOut() {
        ScanwatchConfig config = Detectors.configLoader().load(null, Map.of("service-scan.services", SSH_PROBES_ONLY));
        assertThat(config.rules().own(ServiceScanRule.KIND).services())
                .extracting(ServiceScanRule.Service::name, ServiceScanRule.Service::count)
                .containsExactly(tuple("ssh", CountMode.PROBES), tuple("mongodb", CountMode.ALL));
        assertThatThrownBy(() -> Detectors.configLoader()
                        .load(null, Map.of("service-scan.services", "[{name: ssh, ports: [22], count: some}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("service-scan.services[0].count");
        assertThatThrownBy(() -> Detectors.configLoader()
                        .load(null, Map.of("service-scan.services", "[{name: ssh, ports: [22], count: ~}]")))
                .as("an empty count is refused at start, not met by every event")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("count")
                .hasMessageContaining("expected probes or all");
    }
}
