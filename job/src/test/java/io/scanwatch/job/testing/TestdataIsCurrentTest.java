package io.scanwatch.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.Testdata;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The committed captures are exactly what the generator writes, so the scenario described in code is the data. */
class TestdataIsCurrentTest {
    @Test
    void edgeCaptureMatchesItsGenerator() throws Exception {
        assertThat(Files.readString(Testdata.file("zeek/edge-conn.json.log"))).isEqualTo(new EdgeCaptureGenerator().edgeJson());
    }

    @Test
    void branchCaptureMatchesItsGenerator() throws Exception {
        assertThat(Files.readString(Testdata.file("zeek/branch-conn.tsv.log"))).isEqualTo(new EdgeCaptureGenerator().branchTsv());
    }
}
