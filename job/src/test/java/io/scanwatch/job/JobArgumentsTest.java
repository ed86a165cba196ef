package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.job.config.ConfigException;
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

    /** Given twice, by a shorthand and by --set, one value would be dropped without a word: refused, named. */
    @Test
    void aShorthandAndASetOfItsKeyAreRefused() {
        assertThatThrownBy(() -> configOf("--kafka-bootstrap", "one:9092", "--set", "kafka.bootstrap-servers=two:9092"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--kafka-bootstrap and --set kafka.bootstrap-servers both set kafka.bootstrap-servers:"
                        + " give it once");
        assertThatThrownBy(() -> configOf("--internal-cidrs", "10.0.0.0/8", "--set", "network={internal-cidrs: []}"))
                .hasMessage("--internal-cidrs and --set network both set network.internal-cidrs (in its section):"
                        + " give it once");
        assertThat(configOf("--internal-cidrs", "10.0.0.0/8", "--set", "network={authorized-scanners: [10.9.0.0/16]}")
                        .network())
                .as("a section that does not hold the shorthand's key merges beside it")
                .satisfies(network -> {
                    assertThat(network.internalCidrs()).containsExactly("10.0.0.0/8");
                    assertThat(network.authorizedScanners()).containsExactly("10.9.0.0/16");
                });
        assertThatThrownBy(() -> configOf(
                        "--set",
                        "network.authorized-scanners=[10.20.0.250/32]",
                        "--authorized-scanners",
                        "10.20.3.44/32"))
                .hasMessageStartingWith("--authorized-scanners and --set network.authorized-scanners");
        assertThat(configOf("--set", "kafka.bootstrap-servers=one:9092", "--set", "kafka.bootstrap-servers=two:9092")
                        .kafka()
                        .bootstrapServers())
                .as("of two --set, the last")
                .isEqualTo("two:9092");
    }
}
