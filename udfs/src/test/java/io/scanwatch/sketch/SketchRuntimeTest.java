package io.scanwatch.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SketchRuntimeTest {
    /** The build runs on Java 17 or 21, which the memory library accepts; a refused Java: UnsupportedJavaITCase. */
    @Test
    void acceptsTheJavaTheBuildRunsOn() {
        assertThat(SketchRuntime.refusal()).isEmpty();
    }
}
