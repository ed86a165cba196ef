package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A window with fewer events than its rule's {@link DetectionRule#minimumEvents()} is never evaluated, so the
 * minimum must be exact: every rule fires on a window of its minimum when each event the rule takes reaches another
 * source, host and port (a service's port for a service scan), and on none of one event fewer. Each configuration
 * makes other thresholds the ones that bind, so that every term of every minimum is checked.
 */
class MinimumEventsTest {
    private static final long BASE = 1_700_000_040_000L;

    /** Beyond the defaults: which thresholds bind. */
    static Stream<Arguments> bindings() {
        return Stream.of(
                Arguments.of("ports and counts (defaults)", Map.of()),
                Arguments.of(
                        "attempts, hosts of a tier, a network's hosts, sources of a host",
                        Map.of(
                                "network-scan.attempts-above", "10",
                                "slow-scan.tiers",
                                        "[{window: 1h, slide: 5m, distinct-hosts-above: 20, distinct-ports-at-least: 50}]",
                                "distributed-scan.distinct-hosts-above", "30",
                                "distributed-portscan.min-sources", "60")),
                Arguments.of(
                        "hosts, a network's members",
                        Map.of(
                                "network-scan.distinct-ports-at-least", "30",
                                "distributed-scan.distinct-hosts-above", "10",
                                "distributed-scan.distinct-ports-at-least", "20",
                                "distributed-scan.min-members", "30")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void everyRuleFiresOnItsMinimumOfEventsAndNeverOnFewer(String binding, Map<String, String> thresholds) {
        Map<String, String> settings = new HashMap<>(thresholds);
        settings.put("distributed-portscan.enabled", "true");
        ScanwatchConfig config = Detectors.configLoader().load(null, settings);
        List<DetectionRule<?>> rules = RuleRegistry.rules(config, RuleContext.of(config));
        assertThat(rules).extracting(DetectionRule::id).contains("distributed-portscan");
        for (DetectionRule<?> rule : rules) {
            long minimum = rule.minimumEvents();
            assertThat(minimum).as(rule.id()).isGreaterThan(1);
            assertThat(fires(rule, minimum - 1))
                    .as("%s on %d events", rule.id(), minimum - 1)
                    .isFalse();
            assertThat(fires(rule, minimum))
                    .as("%s on %d events", rule.id(), minimum)
                    .isTrue();
        }
    }

    private static <ACC> boolean fires(DetectionRule<ACC> rule, long events) {
        WindowAggregate<ACC> aggregate = rule.aggregate();
        ACC window = aggregate.create();
        for (int i = 0; i < events; i++) {
            aggregate.add(window, event(rule, i));
        }
        assertThat(aggregate.events(window)).isEqualTo(events);
        return rule.evaluate(
                        rule.key(event(rule, 0)),
                        window,
                        BASE,
                        BASE + rule.window().toMillis())
                != null;
    }

    /** The {@code i}th probe of a window: the first of the candidates the rule takes. */
    private static ConnectionEvent event(DetectionRule<?> rule, int i) {
        for (Direction direction : List.of(Direction.EXTERNAL_INTERNAL, Direction.INTERNAL_EXTERNAL)) {
            for (Outcome outcome : List.of(Outcome.REJECTED, Outcome.ABORTED)) {
                for (int port : new int[] {1 + i, 27017}) {
                    ConnectionEvent event = tcp(
                            BASE + i,
                            "198.51.100." + (1 + i % 250),
                            "10.20." + (i / 250) + "." + (1 + i % 250),
                            port,
                            outcome,
                            direction);
                    if (rule.accepts(event)) {
                        return event;
                    }
                }
            }
        }
        throw new AssertionError(rule.id() + " takes none of the test's probes");
    }
}
