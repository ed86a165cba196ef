package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.source.InputFile;
import io.scanwatch.job.source.TelemetrySources;
import io.scanwatch.job.testing.TestdataGenerator;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The plan the pipeline builds: which of its operators run chained, without an exchange between them. */
class ScanwatchPipelineTest {

    /**
     * Every bundled file, each small enough for one reader, at a job parallelism of 2: a router runs at its reader's
     * parallelism, and what selects and places its records must run chained to it, not as a stage of its own.
     */
    @ParameterizedTest
    @EnumSource(
            value = RuntimeExecutionMode.class,
            names = {"BATCH", "STREAMING"})
    void selectionsAndPlacementsRunChainedToEachRouter(RuntimeExecutionMode mode) throws Exception {
        ScanwatchConfig config =
                Detectors.configLoader().load(Testdata.file("scanwatch-demo.yaml"), Map.of("trw-scan.enabled", "true"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ScanwatchPipeline.requiredConfiguration());
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        List<InputFile> files = new ArrayList<>();
        TestdataGenerator.FILES.forEach((file, format) ->
                files.add(new InputFile(TelemetryFormat.byId(format), Testdata.file("telemetry/" + file))));
        ScanwatchPipeline.build(TelemetrySources.fromFiles(env, files, config), config)
                .alerts()
                .sinkTo(new DiscardingSink<>());

        JobGraph plan = env.getStreamGraph().getJobGraph();
        List<String> vertices = new ArrayList<>();
        plan.getVertices().forEach(vertex -> vertices.add(vertex.getName()));
        assertThat(vertices)
                .as("no selection or placement starts a task of its own")
                .noneMatch(name -> name.startsWith("select ") || name.startsWith("place logons"));
        List<JobVertex> routers = new ArrayList<>();
        plan.getVertices().forEach(vertex -> {
            if (vertex.getName().contains("route telemetry")) {
                routers.add(vertex);
            }
        });
        assertThat(routers)
                .hasSize(files.size())
                .allSatisfy(router -> assertThat(router.getName())
                        .contains("select source", "select first-contact outcomes", "place logons at inventory hosts"));
        assertThat(routers)
                .allSatisfy(router -> assertThat(router.getParallelism()).isEqualTo(1));
        // The paired one-way flows have no parallelism of their own: their selections leave it to the scheduler too.
        assertThat(vertex(plan, "pair one-way flows").getName()).contains("select source");
        assertThat(vertex(plan, "pair one-way flows").getParallelism())
                .isEqualTo(vertex(plan, "detect connscan").getParallelism());
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
