package io.scanwatch.job.detect;

import static io.scanwatch.job.testing.Events.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A window with fewer events than its rule's {@link DetectionRule#minimumEvents()} is never evaluated, so the
 * minimum must be exact: every rule, as configured by default, fires on a window of its minimum when each event
 * reaches another source, host and port, and on none of one event fewer.
 */
class MinimumEventsTest {
    private static final long BASE = 1_700_000_040_000L;

    @Test
    void everyRuleFiresOnItsMinimumOfEventsAndNeverOnFewer() {
        ScanwatchConfig config = Detectors.configLoader().load(null, Map.of());
        List<DetectionRule<?>> rules = RuleRegistry.rules(config, RuleContext.of(config));
        assertThat(rules).hasSizeGreaterThan(5);
        for (DetectionRule<?> rule : rules) {
            assertThat(rule.minimumEvents()).as(rule.id()).isGreaterThan(1);
            assertThat(fires(rule, rule.minimumEvents() - 1))
                    .as("%s on %d events", rule.id(), rule.minimumEvents() - 1)
                    .isFalse();
            assertThat(fires(rule, rule.minimumEvents()))
                    .as("%s on %d events", rule.id(), rule.minimumEvents())
                    .isTrue();
        }
    }

    private static <ACC> boolean fires(DetectionRule<ACC> rule, long events) {
        WindowAggregate<ACC> aggregate = rule.aggregate();
        ACC window = aggregate.create();
        for (int i = 0; i < events; i++) {
            aggregate.add(window, event(i));
        }
        assertThat(aggregate.events(window)).isEqualTo(events);
        long end = BASE + rule.window().toMillis();
        return rule.evaluate(rule.key(event(0)), window, BASE, end) != null;
    }

    /** Every event from a source, to a host and on a port of its own; the sources share a /24. */
    private static ConnectionEvent event(int i) {
        return tcp(
                BASE + i,
                "198.51.100." + (1 + i % 250),
                "10.20." + (i / 250) + "." + (1 + i % 250),
                1 + i,
                Outcome.REJECTED,
                Direction.EXTERNAL_INTERNAL);
    }
}
