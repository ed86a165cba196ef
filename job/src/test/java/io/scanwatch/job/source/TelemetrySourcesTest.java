package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a file of JSON lines alone may be read in ranges: a Zeek TSV header anywhere keeps it with one reader. */
class TelemetrySourcesTest {
    @TempDir
    Path dir;

    private boolean jsonLinesOnly(String text) throws Exception {
        return TelemetrySources.jsonLinesOnly(Files.writeString(dir.resolve("conn.log"), text));
    }

    @Test
    void aHeaderAnywhereKeepsTheFileWhole() throws Exception {
        assertThat(jsonLinesOnly("{\"ts\":1}\n{\"ts\":2}\n")).isTrue();
        assertThat(jsonLinesOnly("{\"ts\":1}\n#separator \\x09\n#fields\tts\n1.0\n"))
                .as("logs appended to one another, the second in TSV")
                .isFalse();
        assertThat(jsonLinesOnly("#separator \\x09\n")).isFalse();
        assertThat(jsonLinesOnly("{\"note\":\"a # inside a line is no header\"}\n"))
                .isTrue();
        assertThat(jsonLinesOnly("")).isFalse();
    }
}
