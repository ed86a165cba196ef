package io.scanwatch.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.Testdata;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed captures are exactly what the generator writes, so the scenario described in code is the data. */
class TestdataIsCurrentTest {
    static java.util.Set<String> files() {
        return TestdataGenerator.FILES.keySet();
    }

    @ParameterizedTest
    @MethodSource("files")
    void matchesItsGenerator(String file) throws Exception {
        assertThat(Files.readString(Testdata.file("telemetry/" + file))).isEqualTo(TestdataGenerator.content(file));
    }
}
