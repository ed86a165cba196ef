package io.scanwatch.job.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig.CorrelationConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The correlation's CEP operator keeps nothing for a source once its partial matches have run out of time
 * (Flink's own keeps the NFA's start state for every key it ever saw), and still matches when the source returns.
 */
class ScanThenLogonStateTest {
    private static final long ALERT = 1_772_442_600_000L;

    @Test
    void noStateIsLeftForASourceThatGoesQuiet() throws Exception {
        CorrelationConfig config = Detectors.configLoader().defaults().correlation();
        NetworkClassifier classifier = new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of()));
        Duration within = config.within().plus(config.logonGrace());
        Pattern<CorrelationEvent, ?> failures = ScanThenLogonPatterns.failures(config, classifier);
        QuietKeyCleaningCepOperator<CorrelationEvent, String, Detection> cep = new QuietKeyCleaningCepOperator<>(
                TypeInformation.of(CorrelationEvent.class).createSerializer(new SerializerConfigImpl()),
                NFACompiler.compileFactory(failures, false),
                failures.getAfterMatchSkipStrategy(),
                new ScanThenLogonMatch(ScanThenLogonMatch.Matched.FAILURES, config, classifier, 64),
                new CorrelationOrder(),
                null);
        try (KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, Detection> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(cep, e -> e.sourceIp, Types.STRING)) {
            harness.open();
            ScanFacts scan = new ScanFacts();
            scan.firstSeen = ALERT - 240_000;
            scan.lastSeen = ALERT - 200_000;
            scan.reportedAt = ALERT;
            scan.targets.add("10.1.0.7");
            CorrelationEvent scanEvent = new CorrelationEvent();
            scanEvent.sourceIp = "203.0.113.50";
            scanEvent.scan = scan;
            AuthEvent failure = new AuthEvent();
            failure.sourceIp = "203.0.113.50";
            failure.timestamp = ALERT + 60_000;
            failure.targetIp = "10.1.0.7";
            failure.attempts = 1;

            harness.processElement(scanEvent, ALERT - 1);
            harness.processElement(
                    CorrelationEvent.of(failure),
                    failure.timestamp + config.logonGrace().toMillis());
            harness.processWatermark(ALERT + config.logonGrace().toMillis() + 120_000);
            assertThat(harness.extractOutputValues())
                    .as("one guess is not enough")
                    .isEmpty();
            assertThat(harness.numKeyedStateEntries())
                    .as("a partial match waits for more guesses")
                    .isPositive();

            long lastElement = failure.timestamp + config.logonGrace().toMillis();
            harness.processWatermark(lastElement + within.toMillis() + 1);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();

            long later = lastElement + within.toMillis() + 600_000;
            scan.firstSeen = later - 240_000;
            scan.lastSeen = later - 200_000;
            scan.reportedAt = later;
            harness.processElement(scanEvent, later);
            for (int i = 1; i <= 3; i++) {
                failure.timestamp = later + i * 1000;
                harness.processElement(
                        CorrelationEvent.of(failure),
                        failure.timestamp + config.logonGrace().toMillis());
            }
            harness.processWatermark(later + config.logonGrace().toMillis() + 10_000);
            assertThat(harness.extractOutputValues())
                    .as("the same source scanning again later")
                    .hasSize(1);
        }
    }
}
