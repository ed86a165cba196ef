package io.scanwatch.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.job.EmbeddedCluster;
import org.junit.jupiter.api.Test;

class BenchArgumentsTest {
    private static ThroughputBench.Options throughput(String... args) {
        return ThroughputBench.Options.from(new BenchArguments(ThroughputBench.Options.USAGE, 4, args));
    }

    @Test
    void defaultsFillWhatIsNotGiven() {
        ThroughputBench.Options options = throughput("5,000,000");

        assertThat(options.events()).isEqualTo(5_000_000);
        assertThat(options.parallelism())
                .isEqualTo(
                        Math.min(Runtime.getRuntime().availableProcessors(), EmbeddedCluster.MAX_DEFAULT_PARALLELISM));
        assertThat(options.part()).isEqualTo("all");
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(throughput("2000000", "2", "edge", "0").rounds()).isZero();
    }

    @Test
    void aMistakeSaysWhatToFixAndHowToCallTheBench() {
        assertThatThrownBy(() -> throughput("2M"))
                .hasMessageContaining("records must be a whole number, not '2M'")
                .hasMessageContaining("usage: ThroughputBench [records");
        assertThatThrownBy(() -> throughput("-5")).hasMessageStartingWith("records must be from 100,000 to");
        assertThatThrownBy(() -> throughput("2000000", "0")).hasMessageStartingWith("parallelism must be from 1");
        assertThatThrownBy(() -> throughput("2000000", "16")).hasMessageStartingWith("parallelism must be from 1 to 8");
        assertThatThrownBy(() -> throughput("2000000", "2", "edge", "-1"))
                .hasMessageStartingWith("rounds must be from 0");
        assertThatThrownBy(() -> throughput("2000000", "2", "egde"))
                .hasMessageStartingWith("the part must be one of all, edge, tiers, trw, not 'egde'");
        assertThatThrownBy(() -> throughput("2000000", "2", "tiers", "5"))
                .hasMessageStartingWith("'tiers' takes no rounds");
        assertThatThrownBy(() -> throughput("2000000", "2", "edge", "5", "extra"))
                .hasMessageStartingWith("at most 4 arguments, not 5");
        assertThatThrownBy(() -> new BenchArguments("EdgeMixLog file", 2, new String[0]).required(0, "the file"))
                .hasMessageStartingWith("the file must be given")
                .hasMessageContaining("usage: EdgeMixLog file");
        assertThat(new BenchArguments("EdgeMixLog file", 2, new String[] {"/tmp/edge.log"}).required(0, "the file"))
                .isEqualTo("/tmp/edge.log");
    }

    @Test
    void aDurationIsCheckedAsWritten() {
        assertThat(new BenchArguments("u", 1, "500ms").duration(0, "the bound", "5s"))
                .isEqualTo("500ms");
        assertThat(new BenchArguments("u", 1).duration(0, "the bound", "5s")).isEqualTo("5s");
        assertThat(new BenchArguments("u", 1, "PT5S").duration(0, "the bound", "5s"))
                .isEqualTo("PT5S");
        for (String wrong : new String[] {"soon", "5", "PT-5S", "0s", "400d"}) {
            assertThatThrownBy(() -> new BenchArguments("u", 1, wrong).duration(0, "the bound", "5s"))
                    .hasMessageStartingWith("the bound must be a positive duration with its unit, at most a year,"
                            + " such as 5s or 500ms, not '" + wrong + "'");
        }
    }
}
