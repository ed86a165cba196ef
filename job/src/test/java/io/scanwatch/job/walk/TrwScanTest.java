package io.scanwatch.job.walk;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.detect.AddressScope;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the walk is given: TCP attempts with an outcome, to the destinations configured. */
class TrwScanTest {
    private static final long T = 1_780_000_000_000L;

    private static ConnectionEvent attempt(Direction direction, Outcome outcome) {
        return tcp(T, "192.0.2.7", "10.0.0.1", 22, outcome, direction);
    }

    private static TrwScan configured(Map<String, String> overrides) {
        return new TrwScan(Detectors.configLoader()
                .load(null, overrides)
                .rules()
                .of(TrwScan.SECTION)
                .own()
                .destinations());
    }

    @Test
    void byDefaultProbesOfInternalHostsAreWalkedFromOutsideAndInsideButNotTheClientsInternetTraffic() {
        TrwScan byDefault = configured(Map.of());
        assertThat(byDefault.accepts(attempt(Direction.EXTERNAL_INTERNAL, Outcome.UNANSWERED)))
                .isTrue();
        assertThat(byDefault.accepts(attempt(Direction.INTERNAL_INTERNAL, Outcome.COMPLETED)))
                .isTrue();
        assertThat(byDefault.accepts(attempt(Direction.INTERNAL_EXTERNAL, Outcome.REJECTED)))
                .as("an internal host's contacts with the Internet")
                .isFalse();
        assertThat(byDefault.accepts(attempt(Direction.EXTERNAL_EXTERNAL, Outcome.REJECTED)))
                .isFalse();
    }

    @Test
    void anyWalksEveryDirectionAndExternalOnlyTheInternets() {
        TrwScan any = configured(Map.of("trw-scan.destinations", "any"));
        TrwScan external = new TrwScan(AddressScope.EXTERNAL);
        for (Direction direction : Direction.values()) {
            assertThat(any.accepts(attempt(direction, Outcome.UNANSWERED))).isTrue();
            assertThat(external.accepts(attempt(direction, Outcome.UNANSWERED)))
                    .as(direction.toString())
                    .isEqualTo(direction == Direction.INTERNAL_EXTERNAL || direction == Direction.EXTERNAL_EXTERNAL);
        }
    }

    @Test
    void onlyClassifiedTcpWithAnOutcomeMovesTheWalk() {
        TrwScan any = new TrwScan(AddressScope.ANY);
        ConnectionEvent unclassified = attempt(Direction.EXTERNAL_INTERNAL, Outcome.REJECTED);
        unclassified.direction = null;
        assertThat(any.accepts(unclassified)).isFalse();
        assertThat(any.accepts(attempt(Direction.EXTERNAL_INTERNAL, Outcome.UNKNOWN)))
                .isFalse();
        ConnectionEvent udp = attempt(Direction.EXTERNAL_INTERNAL, Outcome.UNANSWERED);
        udp.transport = Transport.UDP;
        assertThat(any.accepts(udp)).isFalse();
    }

    @Test
    void anUnknownScopeIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> configured(Map.of("trw-scan.destinations", "inbound")))
                .hasMessageContaining("trw-scan.destinations")
                .hasMessageContaining("one of [external, internal, any]");
    }
}
