package io.scanwatch.job.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.Detectors;
import io.scanwatch.job.Testdata;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every test data file, line by line, against its golden normalised form in {@code testdata/expected/normalized}:
 * each line's verdict (the event as JSON, or skipped / rejected with the reason). Regenerate after an intended
 * change with {@code -Dscanwatch.update-golden=true} and review the diff.
 */
class NormalizedOutputTest {
    static Set<String> files() {
        return TestdataGenerator.FILES.keySet();
    }

    @ParameterizedTest
    @MethodSource("files")
    void matchesTheGoldenNormalisedOutput(String file) throws Exception {
        ScanwatchConfig config = Detectors.configLoader().load(Testdata.file("scanwatch-demo.yaml"), Map.of());
        LineParser parser = TelemetryFormat.byId(TestdataGenerator.FILES.get(file))
                .newParser(config.parsing().options(Instant.parse("2026-11-01T00:00:00Z")));
        List<String> verdicts = new ArrayList<>();
        for (String line : Files.readAllLines(Testdata.file("telemetry/" + file), StandardCharsets.UTF_8)) {
            verdicts.add(verdict(parser.parse(line)));
        }
        Path golden = Testdata.file("expected/normalized/" + file + ".jsonl");
        if (Boolean.getBoolean("scanwatch.update-golden")) {
            Files.createDirectories(golden.getParent());
            Files.write(golden, verdicts, StandardCharsets.UTF_8);
        }
        assertThat(verdicts).containsExactlyElementsOf(Files.readAllLines(golden, StandardCharsets.UTF_8));
    }

    private static String verdict(ParsedLine parsed) {
        switch (parsed.kind()) {
            case CONNECTION:
                return EventJson.write(parsed.connection());
            case AUTHENTICATION:
                return EventJson.write(parsed.authentication());
            default:
                return "{\"" + parsed.kind().name().toLowerCase() + "\":\""
                        + parsed.reason().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        }
    }
}
