package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.scanwatch.job.config.ScanwatchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/kubernetes} cannot be applied here (no Kubernetes, no Docker): its structure is checked instead.
 * The FlinkDeployment names the Flink version the job is built against, the jar where the Dockerfile puts it, the
 * job's main class, savepoint upgrades, durable checkpoint and savepoint directories and the Prometheus reporter;
 * the configuration it mounts is the path the job reads, and scanwatch's own loader accepts it.
 */
class KubernetesManifestTest {
    private static final Path KUBERNETES = Testdata.file("../deploy/kubernetes");

    private static List<JsonNode> manifests() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        try (var parser = new YAMLFactory()
                .createParser(KUBERNETES.resolve("flinkdeployment.yaml").toFile())) {
            return yaml.readValues(parser, JsonNode.class).readAll();
        }
    }

    private static JsonNode kind(List<JsonNode> manifests, String kind) {
        return manifests.stream()
                .filter(m -> m.path("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in flinkdeployment.yaml"));
    }

    @Test
    void theFlinkDeploymentRunsThisJobFromTheImageTheDockerfileBuilds() throws Exception {
        JsonNode deployment = kind(manifests(), "FlinkDeployment");
        JsonNode spec = deployment.path("spec");
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");

        String[] flink = EnvironmentInformation.getVersion().split("\\.");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v" + flink[0] + "_" + flink[1]);
        String dockerfile = Files.readString(KUBERNETES.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM flink:" + EnvironmentInformation.getVersion() + "-java17\n");
        Matcher copy = Pattern.compile("(?m)^COPY job/target/scanwatch-job-\\*-cluster\\.jar (\\S+)$")
                .matcher(dockerfile);
        assertThat(copy.find()).as("the Dockerfile copies the cluster jar").isTrue();

        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + copy.group(1));
        assertThat(job.path("entryClass").asText()).isEqualTo(ScanwatchJob.class.getName());
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("parallelism").asInt()).isPositive();

        JsonNode flinkConfiguration = spec.path("flinkConfiguration");
        assertThat(flinkConfiguration.path("execution.checkpointing.dir").asText())
                .isNotBlank();
        assertThat(flinkConfiguration
                        .path("execution.checkpointing.savepoint-dir")
                        .asText())
                .isNotBlank();
        assertThat(flinkConfiguration
                        .path("metrics.reporter.prom.factory.class")
                        .asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(flinkConfiguration.path("execution.checkpointing.dir").asText())
                .as("durable storage the image has a file system plugin for")
                .startsWith("s3://");
        assertThat(dockerfile).contains("cp /opt/flink/opt/flink-s3-fs-hadoop-*.jar /opt/flink/plugins/s3-fs-hadoop/");
    }

    @Test
    void theMountedConfigurationIsWhatTheJobReadsAndScanwatchAcceptsIt(@TempDir Path dir) throws Exception {
        List<JsonNode> manifests = manifests();
        JsonNode spec = kind(manifests, "FlinkDeployment").path("spec");
        JsonNode mount = spec.at("/podTemplate/spec/containers/0/volumeMounts/0");
        JsonNode volume = spec.at("/podTemplate/spec/volumes/0");
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        JsonNode configMap = kind(manifests, "ConfigMap");
        assertThat(volume.at("/configMap/name").asText())
                .isEqualTo(configMap.at("/metadata/name").asText());

        List<String> args = new YAMLMapper().convertValue(spec.at("/job/args"), new TypeReference<List<String>>() {});
        String configPath = args.get(args.indexOf("--config") + 1);
        String file = Path.of(configPath).getFileName().toString();
        assertThat(Path.of(mount.path("mountPath").asText()).resolve(file).toString())
                .isEqualTo(configPath);

        Path site = dir.resolve(file);
        Files.writeString(site, configMap.at("/data/" + file).asText());
        ScanwatchConfig config = Detectors.configLoader().load(site, Map.of());
        assertThat(config.kafka().enabled()).isTrue();
        assertThat(config.kafka().inputs()).hasSize(3);

        // The operator judges checkpoint progress by a window of its own: one shorter than a checkpoint that times
        // out and the next one would restart a healthy job.
        JsonNode flinkConfiguration = spec.path("flinkConfiguration");
        assertThat(flinkConfiguration
                        .path("kubernetes.operator.cluster.health-check.enabled")
                        .asText())
                .isEqualTo("true");
        assertThat(flinkConfiguration
                        .path("kubernetes.operator.cluster.health-check.checkpoint-progress.enabled")
                        .asText())
                .isEqualTo("true");
        Duration window = TimeUtils.parseDuration(flinkConfiguration
                .path("kubernetes.operator.cluster.health-check.checkpoint-progress.window")
                .asText());
        Duration oneCheckpoint =
                config.checkpointing().interval().plus(config.checkpointing().timeout());
        assertThat(window).isGreaterThanOrEqualTo(oneCheckpoint.multipliedBy(2));
    }
}
