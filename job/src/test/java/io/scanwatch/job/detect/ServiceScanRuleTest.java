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

/** Internal hosts reaching many external hosts on one service's ports, as the shipped service list counts them. */
class ServiceScanRuleTest {
    private static final long T0 = 1_772_445_600_000L;
    private static final String SOURCE = "10.17.0.6";

    /**
     * Fifteen sessions from one internal host to fifteen external hosts, five seconds apart, all with the same
     * outcome: as an Ansible run to cloud machines when they log on, as a sweep when nothing answers.
     */
    private static List<Detection> fifteenSessions(int port, Outcome outcome) throws Exception {
        ScanwatchConfig config = Detectors.configLoader().defaults();
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

    @ParameterizedTest(name = "port {0}, {1}: {2}")
    @CsvSource({
        "22, COMPLETED, ''",
        "22, UNANSWERED, ssh_scan_internal_external",
        "22, ABORTED, ssh_scan_internal_external",
        "27017, COMPLETED, mongodb_scan_internal_external",
        "27017, UNANSWERED, mongodb_scan_internal_external",
        "5432, COMPLETED, postgres_scan_internal_external",
    })
    void sshCountsProbesOnlyWhereTheOtherServicesCountEveryAttempt(int port, Outcome outcome, String rule)
            throws Exception {
        List<Detection> detections = fifteenSessions(port, outcome);
        if (rule.isEmpty()) {
            assertThat(detections)
                    .as("sessions that logged on are no scan of SSH servers")
                    .isEmpty();
        } else {
            assertThat(detections).isNotEmpty().allSatisfy(d -> {
                assertThat(d.rule).isEqualTo(rule);
                assertThat(d.sourceIp).isEqualTo(SOURCE);
            });
            assertThat(detections.get(0).tally.hosts.distinct()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void aServiceCountsEveryAttemptUnlessItSaysProbes() {
        ScanwatchConfig config = Detectors.configLoader()
                .load(
                        null,
                        Map.of(
                                "service-scan.services",
                                "[{name: ssh, ports: [22]}, {name: git, ports: [9418], count: probes}]"));
        assertThat(config.rules().own(ServiceScanRule.KIND).services())
                .extracting(ServiceScanRule.Service::name, ServiceScanRule.Service::count)
                .containsExactly(tuple("ssh", CountMode.ALL), tuple("git", CountMode.PROBES));
        assertThatThrownBy(() -> Detectors.configLoader()
                        .load(null, Map.of("service-scan.services", "[{name: ssh, ports: [22], count: some}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("count");
    }
}
