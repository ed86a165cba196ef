package io.scanwatch.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ControlStatus;
import io.scanwatch.job.model.DeadLetter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSinksTest {
    /** A savepoint's message names an output left out by its uid's hash: every output's uid must be in the map. */
    @Test
    void everyOutputsUidIsNamedWithItsSetting(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("control.jsonl"), "");
        ScanwatchConfig config = Detectors.configLoader()
                .load(
                        null,
                        Map.of(
                                "kafka.bootstrap-servers", "localhost:9092",
                                "search.urls", "[http://localhost:9200]",
                                "control.file", dir.resolve("control.jsonl").toString(),
                                "control.status-file",
                                        dir.resolve("status.jsonl").toString(),
                                "control.status-topic", "scanwatch-control-status"));
        Set<String> uids = new TreeSet<>();
        for (boolean toStandardOutput : new boolean[] {true, false}) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            OutputSinks.attach(
                    env.fromSequence(0, 1).map(i -> new Alert()).returns(Alert.class),
                    env.fromSequence(0, 1).map(i -> new DeadLetter()).returns(DeadLetter.class),
                    env.fromSequence(0, 1).map(i -> (ControlStatus) null).returns(ControlStatus.class),
                    new OutputSinks.Plan(
                            toStandardOutput ? null : dir.resolve("alerts.jsonl"),
                            dir.resolve("dead.jsonl"),
                            toStandardOutput,
                            true),
                    config);
            env.getTransformations().stream()
                    .map(Transformation::getUid)
                    .filter(Objects::nonNull)
                    .forEach(uids::add);
        }
        assertThat(uids).isEqualTo(new TreeSet<>(OutputSinks.SETTING_BY_UID.keySet()));
    }
}
