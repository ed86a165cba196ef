package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Mistakes on the command line or in configuration stop the job before it starts, with what to fix. */
class ScanwatchJobTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return new ScanwatchJob(
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noInputShowsUsage() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(err())
                .contains("no telemetry: give --input FORMAT=PATH, or Kafka topics")
                .contains("usage: scanwatch");
    }

    @Test
    void unknownFormatListsTheKnownOnes() throws Exception {
        assertThat(run("--input", "pcap=x.pcap")).isEqualTo(2);
        assertThat(err()).contains("unknown telemetry format 'pcap'").contains("zeek-conn");
    }

    @Test
    void missingFileIsNamed() throws Exception {
        assertThat(run("--input", "zeek-conn=/nonexistent/conn.log")).isEqualTo(2);
        assertThat(err()).contains("/nonexistent/conn.log").contains("no such file");
    }

    @Test
    void badConfigurationNamesTheKey() throws Exception {
        assertThat(run(
                        "--input",
                        "zeek-conn=" + Testdata.file("zeek/edge-conn.json.log"),
                        "--set",
                        "network-scan.tumbling.window=0s"))
                .isEqualTo(2);
        assertThat(err()).contains("network-scan.tumbling.window must be positive");
        assertThat(run("--input", "zeek-conn=x", "--internal-cidrs", "10.0.0.0/99"))
                .isEqualTo(2);
        assertThat(err()).contains("network.internal-cidrs: '10.0.0.0/99'");
    }

    @Test
    void optionsNeedValues() throws Exception {
        assertThat(run("--input", "zeek-conn=x", "--alerts")).isEqualTo(2);
        assertThat(err()).contains("--alerts needs a value");
        assertThat(run("--input", "zeek-conn=x", "--parallelism", "two")).isEqualTo(2);
        assertThat(err()).contains("--parallelism takes a whole number");
    }
}
