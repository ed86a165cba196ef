package io.scanwatch.job.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which attempts the slow tiers and the distributed scans take as probes. */
class ProbingTest {
    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
        "TCP, REJECTED, true",
        "TCP, ABORTED, true",
        "TCP, UNANSWERED, true",
        "TCP, COMPLETED, false",
        "TCP, UNKNOWN, false",
        "ICMP, UNANSWERED, true",
        "UDP, REJECTED, true",
        "UDP, UNANSWERED, false",
        "ICMP, COMPLETED, false",
        "OTHER, REJECTED, false",
        "OTHER, UNANSWERED, false",
        "OTHER, ABORTED, false",
    })
    void probesAreFailedAttemptsOfTcpIcmpAndRefusedDatagrams(Transport transport, Outcome outcome, boolean probe) {
        ConnectionEvent event = new ConnectionEvent();
        event.transport = transport;
        event.outcome = outcome;
        assertThat(Probing.shownBy(event)).isEqualTo(probe);
    }
}
