package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.config.ScanwatchConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The shorthands give their values as they are typed, whatever YAML would make of them. */
class JobArgumentsTest {
    private static ScanwatchConfig configOf(String... args) {
        JobArguments arguments = new JobArguments();
        new CommandLine(arguments).parseArgs(args);
        return Detectors.configLoader().load(null, arguments.overrides());
    }

    @Test
    void addressesInBracketsStayText() {
        ScanwatchConfig config = configOf(
                "--kafka-bootstrap", "[::1]:9092",
                "--search-url", "http://[::1]:9200,https://search.example:9200",
                "--internal-cidrs", "10.0.0.0/8, fc00::/7",
                "--authorized-scanners", "2001:db8::/64");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("[::1]:9092");
        assertThat(config.search().urls()).containsExactly("http://[::1]:9200", "https://search.example:9200");
        assertThat(config.network().internalCidrs()).containsExactly("10.0.0.0/8", "fc00::/7");
        assertThat(config.network().authorizedScanners()).containsExactly("2001:db8::/64");
    }

    @Test
    void quotesAndBackslashesAreKept() {
        assertThat(configOf("--kafka-bootstrap", "a\"b\\c:9092").kafka().bootstrapServers())
                .isEqualTo("a\"b\\c:9092");
    }

    @Test
    void setStillWins() {
        assertThat(configOf("--kafka-bootstrap", "one:9092", "--set", "kafka.bootstrap-servers=two:9092")
                        .kafka()
                        .bootstrapServers())
                .isEqualTo("two:9092");
    }
}
