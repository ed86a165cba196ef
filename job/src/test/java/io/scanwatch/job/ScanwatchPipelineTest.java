package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.source.InputFile;
import io.scanwatch.job.source.TelemetrySources;
import io.scanwatch.job.testing.TestdataGenerator;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The plan the pipeline builds: which of its operators run chained, without an exchange between them. */
class ScanwatchPipelineTest {

    /**
     * Every bundled file (each read by one reader) and a file large enough for a batch replay to read it in ranges,
     * at a job parallelism of 2: a router runs at its reader's parallelism, and the selections of its records must
     * run chained to it, not as a stage of their own.
     */
    @ParameterizedTest
    @EnumSource(
            value = RuntimeExecutionMode.class,
            names = {"BATCH", "STREAMING"})
    void selectionsRunChainedToEachRouter(RuntimeExecutionMode mode, @TempDir Path dir) throws Exception {
        ScanwatchConfig config =
                Detectors.configLoader().load(Testdata.file("scanwatch-demo.yaml"), Map.of("trw-scan.enabled", "true"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchPipeline.requiredConfiguration());
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        List<InputFile> files = new ArrayList<>();
        TestdataGenerator.FILES.forEach((file, format) ->
                files.add(new InputFile(TelemetryFormat.byId(format), null, Testdata.file("telemetry/" + file))));
        files.add(new InputFile(TelemetryFormat.ZEEK_CONN, null, largeZeekLog(dir)));
        ScanwatchPipeline.build(TelemetrySources.fromFiles(env, files, config), config)
                .alerts()
                .sinkTo(new DiscardingSink<>());

        JobGraph plan = env.getStreamGraph().getJobGraph();
        List<String> vertices = new ArrayList<>();
        List<JobVertex> routers = new ArrayList<>();
        plan.getVertices().forEach(vertex -> {
            vertices.add(vertex.getName());
            if (vertex.getName().contains("route telemetry")) {
                routers.add(vertex);
            }
        });
        assertThat(vertices).as("no selection starts a task of its own").noneMatch(name -> name.startsWith("select "));
        assertThat(routers).hasSize(files.size()).allSatisfy(router -> {
            boolean logonsOnly = files.stream()
                    .anyMatch(file -> file.format().logonsOnly()
                            && router.getName()
                                    .contains("file: " + file.format().id() + " "));
            if (logonsOnly) {
                // Only its logons go on: its time would move the detectors past slower conn topics' connections.
                assertThat(router.getName()).doesNotContain("select ");
            } else {
                assertThat(router.getName()).contains("select source", "select contact attempts");
            }
        });
        // Only a batch replay reads a file in ranges, one reader a subtask.
        int largest = mode == RuntimeExecutionMode.BATCH ? 2 : 1;
        assertThat(routers)
                .extracting(JobVertex::getParallelism)
                .containsOnly(1, largest)
                .contains(largest);
        // The paired one-way flows have no parallelism of their own: their selections leave it to the scheduler too.
        assertThat(vertex(plan, "join records of one connection").getName()).contains("select source");
        assertThat(vertex(plan, "join records of one connection").getParallelism())
                .isEqualTo(vertex(plan, "detect connscan").getParallelism());
    }

    /** The bundled edge's Zeek JSON lines, repeated past the size a batch replay splits. */
    private static Path largeZeekLog(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(Testdata.file("telemetry/zeek/edge-conn.json.log"));
        Path large = dir.resolve("large-conn.json.log");
        try (BufferedWriter out = Files.newBufferedWriter(large)) {
            while (Files.size(large) <= 2 * TelemetrySources.MIN_SPLIT_BYTES) {
                for (String line : lines) {
                    out.write(line);
                    out.newLine();
                }
                out.flush();
            }
        }
        return large;
    }

    private static JobVertex vertex(JobGraph plan, String named) {
        for (JobVertex vertex : plan.getVertices()) {
            if (vertex.getName().startsWith(named)) {
                return vertex;
            }
        }
        throw new AssertionError("no vertex starts with " + named);
    }
}
