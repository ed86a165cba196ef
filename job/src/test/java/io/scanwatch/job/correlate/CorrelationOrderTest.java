package io.scanwatch.job.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.model.ScanFacts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events of one source at one instant, whatever order they came in, are taken in one order. */
class CorrelationOrderTest {
    private static CorrelationEvent scan(String alertId) {
        CorrelationEvent event = new CorrelationEvent();
        event.sourceIp = "203.0.113.50";
        event.scan = new ScanFacts();
        event.scan.alertId = alertId;
        return event;
    }

    private static CorrelationEvent logon(String user, boolean success) {
        AuthEvent logon = new AuthEvent();
        logon.sourceIp = "203.0.113.50";
        logon.targetIp = "10.20.5.15";
        logon.user = user;
        logon.success = success;
        return CorrelationEvent.of(logon);
    }

    @Test
    void scansComeFirstByAlertIdThenLogonsByWhatTheySay() {
        List<CorrelationEvent> arrived = new ArrayList<>(
                List.of(logon("root", true), scan("b7"), logon("admin", false), scan("a1"), logon("root", false)));
        List<CorrelationEvent> reversed = new ArrayList<>(arrived);
        java.util.Collections.reverse(reversed);
        arrived.sort(new CorrelationOrder());
        reversed.sort(new CorrelationOrder());
        assertThat(arrived).containsExactlyElementsOf(reversed);
        assertThat(arrived)
                .extracting(e -> e.isScan() ? "scan " + e.scan.alertId : e.logon.user + " " + e.logon.success)
                .containsExactly("scan a1", "scan b7", "admin false", "root false", "root true");
    }
}
