package io.scanwatch.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** Streams of lines, each with its own parser: headers and recognised formats never cross from one to another. */
class ParseTelemetryTest {
    private static final Path ZEEK = Path.of(System.getProperty("scanwatch.testdata"), "telemetry/zeek");

    private final List<Row> rows = new ArrayList<>();
    private final ParseTelemetry function = new ParseTelemetry();

    ParseTelemetryTest() {
        function.setCollector(new Collector<>() {
            @Override
            public void collect(Row row) {
                rows.add(row);
            }

            @Override
            public void close() {}
        });
    }

    /** The capture with the originator's and responder's columns swapped, header and rows alike: the same flows. */
    static List<String> swapped(List<String> tsv) {
        List<String> out = new ArrayList<>();
        for (String line : tsv) {
            String[] fields = line.split("\t", -1);
            if (line.startsWith("#fields")) {
                swap(fields, 3, 5);
                swap(fields, 4, 6);
            } else if (!line.startsWith("#") && fields.length > 5) {
                swap(fields, 2, 4);
                swap(fields, 3, 5);
            }
            out.add(String.join("\t", fields));
        }
        return out;
    }

    private static void swap(String[] fields, int a, int b) {
        String kept = fields[a];
        fields[a] = fields[b];
        fields[b] = kept;
    }

    private static String flow(Row row) {
        return row.getField(2) + " > " + row.getField(4) + ":" + row.getField(5);
    }

    @Test
    void twoTsvStreamsInterleavedKeepTheirOwnHeaders() throws Exception {
        List<String> branch = Files.readAllLines(ZEEK.resolve("branch-conn.tsv.log"));
        List<String> other = swapped(branch);
        for (String line : branch) {
            function.eval("zeek-conn", line, "branch");
        }
        List<String> alone = rows.stream().map(ParseTelemetryTest::flow).toList();
        rows.clear();
        for (int i = 0; i < branch.size(); i++) {
            function.eval("zeek-conn", branch.get(i), "branch");
            function.eval("zeek-conn", other.get(i), "swapped");
        }
        assertThat(alone).hasSizeGreaterThan(800);
        assertThat(rows.stream().map(ParseTelemetryTest::flow).distinct())
                .as("each file's rows read with its own header: the same flows, none reversed")
                .containsExactlyInAnyOrderElementsOf(alone.stream().distinct().toList());
        assertThat(rows).hasSize(2 * alone.size());
    }

    @Test
    void autoRecognisesEachStreamsFormatOfItsOwn() throws Exception {
        List<String> tsv = Files.readAllLines(ZEEK.resolve("branch-conn.tsv.log"));
        List<String> eve = Files.readAllLines(ZEEK.resolve("../suricata/dmz-eve.json"));
        for (String line : eve) {
            function.eval("auto", line, "dmz");
        }
        int eveRows = rows.size();
        for (String line : tsv) {
            function.eval("AUTO", line, "branch");
        }
        assertThat(eveRows).isPositive();
        assertThat(rows.size() - eveRows)
                .as("the Zeek file is not read as Suricata's was")
                .isGreaterThan(800);
    }

    @Test
    void withoutAStreamTheLinesAreOneStreamAndTheFormatIsNamedInAnyCase() throws Exception {
        for (String line : Files.readAllLines(ZEEK.resolve("branch-conn.tsv.log"))) {
            function.eval(" Zeek-Conn ", line);
        }
        assertThat(rows).hasSizeGreaterThan(800);
        assertThatThrownBy(() -> function.eval("zeek", "x")).hasMessageContaining("unknown telemetry format 'zeek'");
    }
}
