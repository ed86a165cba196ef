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

    /**
     * An input's own zone, for a sensor whose clock is not {@code parsing.timezone}'s: named before the path, refused
     * at start where it is no zone or the format's times carry their own (it would change nothing).
     */
    @Test
    void anInputMayNameTheZoneOfItsTimes() throws Exception {
        Path log = Files.writeString(dir.resolve("auth.log"), "");
        InputSpec spec = InputSpec.parse("sshd@America/New_York=" + log);
        assertThat(spec.format()).isEqualTo(io.scanwatch.parse.catalog.TelemetryFormat.SSHD);
        assertThat(spec.zone()).isEqualTo("America/New_York");
        assertThat(spec.pattern()).isEqualTo(log.toString());
        assertThat(InputFile.resolve(java.util.List.of(spec)))
                .singleElement()
                .extracting(InputFile::zone)
                .isEqualTo("America/New_York");
        assertThat(InputSpec.parse("nfdump-csv@+01:00=" + log).zone()).isEqualTo("+01:00");
        assertThat(InputSpec.parse("sshd=" + log).zone()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputSpec.parse("sshd@America/Atlantis=" + log))
                .hasMessage("--input sshd@America/Atlantis=" + log
                        + ": 'America/Atlantis' is not a time zone (e.g. UTC, Europe/Prague, +01:00)");
        for (String[] meant : new String[][] {
            {"utc", "UTC"},
            {"europe/prague", "Europe/Prague"},
            {"+5:30", "+05:30"},
            {"1", "+01:00"},
            {"0530", "+05:30"},
            {"UTC+5:30", "+05:30"},
            {" UTC", "UTC"},
            {"America/NewYork", "America/New_York"},
            {"new_york", "America/New_York"},
            {"Prague", "Europe/Prague"}
        }) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputSpec.parse("sshd@" + meant[0] + "=" + log))
                    .hasMessageContaining("'" + meant[0] + "' is not a time zone")
                    .hasMessageContaining("did you mean " + meant[1] + "?");
        }
        for (String beyond : new String[] {"+25", "99", "+19:00"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputSpec.parse("sshd@" + beyond + "=" + log))
                    .hasMessageEndingWith("is not a time zone (e.g. UTC, Europe/Prague, +01:00): an offset is written"
                            + " as +05:30, at most 18 hours");
        }
        for (String abbreviation : new String[] {"PST", "IST", "cest"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> InputSpec.parse("sshd@" + abbreviation + "=" + log))
                    .hasMessageContaining("an abbreviation names no zone")
                    .hasMessageNotContaining("did you mean");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputSpec.parse("sshd@=" + log))
                .hasMessageContaining("'' is not a time zone");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputSpec.parse("zeek-conn@UTC=" + log))
                .hasMessage("--input zeek-conn@UTC=" + log + ": zeek-conn writes Unix time or an offset, so a zone"
                        + " changes none of its records; zones are for sshd, windows-json, nfdump-json, nfdump-csv,"
                        + " netfilter, syslog, auto");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> InputSpec.parse("sshd@Europe/Prague=" + dir + "/gone.log")
                                .resolveFiles())
                .as("a message names the argument as given")
                .hasMessage("--input sshd@Europe/Prague=" + dir + "/gone.log: no such file " + dir + "/gone.log");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> InputSpec.parse("sshd=" + log + "@Europe/Prague").resolveFiles())
                .hasMessage("--input sshd=" + log + "@Europe/Prague: no such file " + log + "@Europe/Prague (an"
                        + " input's zone goes before its path: --input sshd@Europe/Prague=" + log + ")");
    }
}
