package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.sink.OutputSinks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayReportTest {
    private static String summary(long deadLetters, String deadLetterTargets) {
        return summary(
                Map.of(
                        "format.zeek-conn.read",
                        10L + deadLetters,
                        "format.zeek-conn.parsed",
                        10L,
                        "format.zeek-conn.dead-lettered",
                        deadLetters),
                deadLetterTargets);
    }

    private static String summary(Map<String, Object> accumulators, String deadLetterTargets) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new ReplayReport(new PrintStream(err, true, StandardCharsets.UTF_8))
                .summary(accumulators, new OutputSinks.Targets("standard output", deadLetterTargets));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aReplayOfEmptyInputsSaysSo() {
        assertThat(summary(Map.of(), "")).contains("  records read         0 (the inputs hold no lines)\n");
        assertThat(summary(0, "")).contains("  records read         10\n");
    }

    /**
     * Lines skipped under auto came before a format was found in their input: the row says so, since no file is
     * written in "auto". A row of a format a file is written in does not.
     */
    @Test
    void linesSkippedBeforeAFormatWasFoundAreNamedSo() {
        String said = summary(
                Map.of(
                        "format.auto.read", 4L,
                        "format.auto.skipped", 4L,
                        "format.zeek-conn.read", 12L,
                        "format.zeek-conn.parsed", 10L,
                        "format.zeek-conn.skipped", 2L),
                "");
        assertThat(said)
                .contains("    auto               0 parsed, 4 skipped, 0 dead letters\n"
                        + "      skipped: lines read before a format was found in their input (a log's header,"
                        + " other programs' lines)\n")
                .containsOnlyOnce("before a format was found");
    }

    /** A count of dead letters says where to read them, or that they were not kept and how to keep them. */
    @Test
    void theDeadLettersLineSaysWhereTheyAre() {
        assertThat(summary(3, ""))
                .contains("  dead letters         3 (not kept: --dead-letters FILE or kafka.dead-letters-topic keeps"
                        + " them)\n");
        assertThat(summary(3, "dead.jsonl, kafka topic dl"))
                .contains("  dead letters         3 (in dead.jsonl, kafka topic dl)\n");
        assertThat(summary(0, "")).contains("  dead letters         0\n");
    }
}
