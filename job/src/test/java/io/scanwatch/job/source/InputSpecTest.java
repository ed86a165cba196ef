package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputSpecTest {
    @TempDir
    Path dir;

    /** Read as a glob, {@code a[1].log} would name {@code a1.log}: the file itself is meant. */
    @Test
    void aFileWhoseNameHoldsAGlobsCharactersIsThatFile() throws Exception {
        Path bracketed = Files.writeString(dir.resolve("a[1].log"), "");
        Path other = Files.writeString(dir.resolve("a1.log"), "");
        assertThat(InputSpec.parse("zeek-conn=" + bracketed).resolveFiles()).containsExactly(bracketed);
        assertThat(InputSpec.parse("zeek-conn=" + dir + "/a[0-9].log").resolveFiles())
                .as("a pattern that names no file as it is stays a glob")
                .containsExactly(other);
    }

    @Test
    void directoriesAGlobMatchesAreNamedNotRead() throws Exception {
        Path log = Files.writeString(dir.resolve("conn.log"), "");
        Path day = Files.createDirectory(dir.resolve("2026-03-02"));
        Files.writeString(day.resolve("conn.log"), "");
        InputSpec glob = InputSpec.parse("zeek-conn=" + dir + "/*");
        assertThat(glob.resolveFiles()).containsExactly(log);
        assertThat(glob.directoriesMatched()).containsExactly(day);
        assertThat(InputFile.directoriesLeftOut(java.util.List.of(glob)))
                .singleElement()
                .isEqualTo("--input zeek-conn=" + dir + "/* also matches 1 directory (" + day + "), whose files are"
                        + " not read: a glob such as " + day.resolve("*") + " reads them");
        assertThat(InputSpec.parse("zeek-conn=" + log).directoriesMatched()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> InputSpec.parse("zeek-conn=" + dir + "/2026-*").resolveFiles())
                .hasMessage("--input zeek-conn=" + dir + "/2026-*: no file matches, only directories (" + day
                        + "): a glob such as " + day.resolve("*") + " reads their files");
    }
}
