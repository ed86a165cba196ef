package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a file of JSON lines alone may be read in ranges: a Zeek TSV header anywhere keeps it with one reader. */
class HeaderLineSearchTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("conn.log"), text);
    }

    private boolean jsonLinesOnly(String text) throws Exception {
        return HeaderLineSearch.jsonLinesOnly(file(text));
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
        assertThat(jsonLinesOnly("{")).isTrue();
    }

    @Test
    void aHeaderStartingTheSecondReadIsFoundAtTheDefaultSizes() throws Exception {
        int read = 1 << 20;
        String filler = "{\"ts\":1," + "x".repeat(read - 10) + "}\n";
        assertThat(filler).hasSize(read);
        assertThat(jsonLinesOnly(filler + "#fields\tts\n"))
                .as("a header starting the second read, its newline ending the first")
                .isFalse();
        assertThat(jsonLinesOnly(filler.substring(0, read - 2) + "}#\n"))
                .as("a # ending the first read, not starting a line")
                .isTrue();
    }

    @Test
    void aHeaderIsFoundAtEveryOffset() throws Exception {
        for (int pad = 0; pad < 2 * Long.BYTES; pad++) {
            String line = "{\"ts\":1" + "0".repeat(pad) + "}\n";
            assertThat(jsonLinesOnly(line + "#fields\tts\n"))
                    .as("after %d bytes", line.length())
                    .isFalse();
            assertThat(jsonLinesOnly(line + "{\"a\":\"#\"}\n"))
                    .as("after %d bytes", line.length())
                    .isTrue();
        }
    }

    /**
     * Small regions and reads, so that a header's newline ends one and its {@code #} starts the next at every
     * offset, and a {@code #} at a region's start follows a byte that is not a newline.
     */
    @Test
    void aHeaderIsFoundAcrossRegionsAndReads() throws Exception {
        String json = "{\"ts\":1,\"note\":\"#\"}\n{\"ts\":2}\n";
        for (int region : new int[] {1, 3, 8, 9}) {
            for (int read : new int[] {1, 3, 8}) {
                for (int pad = 0; pad < 12; pad++) {
                    String before = "{\"ts\":0" + "0".repeat(pad) + "}\n" + json;
                    assertThat(HeaderLineSearch.jsonLinesOnly(file(before + "#fields\tts\n"), region, read))
                            .as("a header after %d bytes, regions of %d, reads of %d", before.length(), region, read)
                            .isFalse();
                    assertThat(HeaderLineSearch.jsonLinesOnly(file(before + json), region, read))
                            .as("JSON lines of %d bytes, regions of %d, reads of %d", before.length(), region, read)
                            .isTrue();
                }
            }
        }
    }
}
