package io.scanwatch.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One connection as each Windows host and logger wrote it: one attempt, whatever order the views come in. */
class EndpointViewsTest {
    private static final long T = 1_603_355_392_114L;

    private static ConnectionEvent view(long at, int sourcePort, String state, Outcome outcome) {
        ConnectionEvent e = new ConnectionEvent();
        e.timestamp = at;
        e.sourceIp = "172.18.39.5";
        e.sourcePort = sourcePort;
        e.destinationIp = "172.18.38.5";
        e.destinationPort = 389;
        e.transport = Transport.TCP;
        e.outcome = outcome;
        e.format = "windows-json";
        e.sensor = "events.jsonl";
        e.sensorState = state;
        return e;
    }

    /** The OTRF capture's LDAP connection 58178: Sysmon at both ends, then 5156 at both ends, 3 s apart. */
    private static List<ConnectionEvent> ldapConnection() {
        return List.of(
                view(T, 58178, "event 3 initiated=true", Outcome.UNKNOWN),
                view(T + 470, 58178, "event 3 initiated=false", Outcome.UNKNOWN),
                view(T + 1_786, 58178, "event 5156 inbound", Outcome.UNKNOWN),
                view(T + 3_042, 58178, "event 5156 outbound", Outcome.UNKNOWN));
    }

    @Test
    void theViewsOfOneConnectionAreOneAttemptAtTheEarliestTimeInEveryOrder() {
        Random random = new Random(7);
        for (int i = 0; i < 24; i++) {
            List<ConnectionEvent> views = new ArrayList<>(ldapConnection());
            Collections.shuffle(views, random);
            assertThat(EndpointViews.merge(views)).singleElement().satisfies(e -> {
                assertThat(e.timestamp).isEqualTo(T);
                assertThat(e.outcome).isEqualTo(Outcome.UNKNOWN);
                assertThat(e.sensorState)
                        .isEqualTo("event 3 initiated=false / event 3 initiated=true / event 5156 inbound"
                                + " / event 5156 outbound");
            });
        }
    }

    @Test
    void aConnectionOneHostBlockedWasRefusedAndItsRetransmissionsAreNoNewAttempts() {
        // The OTRF domain controller blocked RPC port 49683: 5156 at the workstation, 5157 at each SYN (1, 3, 7 s).
        List<ConnectionEvent> views = List.of(
                view(T, 54785, "event 5156 outbound", Outcome.UNKNOWN),
                view(T + 33, 54785, "event 5157 inbound", Outcome.REJECTED),
                view(T + 2_154, 54785, "event 5157 inbound", Outcome.REJECTED),
                view(T + 4_156, 54785, "event 5157 inbound", Outcome.REJECTED),
                view(T + 8_172, 54785, "event 5157 inbound", Outcome.REJECTED));
        assertThat(EndpointViews.merge(views)).singleElement().satisfies(e -> {
            assertThat(e.outcome).isEqualTo(Outcome.REJECTED);
            assertThat(e.timestamp).isEqualTo(T);
        });
    }

    @Test
    void connectionsFromOtherPortsStayApart() {
        List<ConnectionEvent> views = new ArrayList<>(ldapConnection());
        views.add(view(T + 100, 58179, "event 3 initiated=true", Outcome.UNKNOWN));
        assertThat(EndpointViews.merge(views)).extracting(e -> e.sourcePort).containsExactly(58178, 58179);
    }

    @Test
    void onlyWindowsViewsMerge() {
        ConnectionEvent windows = view(T, 58178, "event 3", Outcome.UNKNOWN);
        assertThat(EndpointViews.merges(windows)).isTrue();
        ConnectionEvent zeek = windows.copy();
        zeek.format = "zeek-conn";
        assertThat(EndpointViews.merges(zeek)).isFalse();
    }
}
