package io.scanwatch.job.alert.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.config.ScanwatchConfig.EnrichmentConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.Detection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts for addresses and networks; addresses no database knows, and sources from anywhere, pass unchanged. */
class EnrichAlertsTest {
    @TempDir
    Path dir;

    private static Alert alertFrom(String source) {
        Alert alert = new Alert();
        alert.detection = new Detection();
        alert.detection.sourceIp = source;
        return alert;
    }

    @Test
    void addsWhatTheDatabasesKnowAndLeavesTheRest() throws Exception {
        Path asn = dir.resolve("asn.csv");
        Files.writeString(
                asn,
                "79.124.62.0,79.124.62.255,207812,DM AUTO EOOD\n2a0b:4d07::,2a0b:4d07::ffff,64500,\"Doc, Inc.\"\n"
                        + "203.0.113.0,203.0.113.255,64501,Test net\n");
        EnrichmentConfig config = new EnrichmentConfig(List.of(), List.of(asn.toString()));
        try (OneInputStreamOperatorTestHarness<Alert, Alert> harness =
                new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new EnrichAlerts(config)))) {
            harness.open();
            for (String source :
                    List.of("79.124.62.34", "79.124.62.0/24", "2a0b:4d07::7", "10.1.2.3", "0.0.0.0/0", "203.0.113.5")) {
                harness.processElement(alertFrom(source), 0);
            }
            List<Alert> out = harness.extractOutputValues();
            assertThat(out.get(0).sourceFacts.asNumber).isEqualTo(207812L);
            assertThat(out.get(0).sourceFacts.countryIsoCode).isNull();
            assertThat(out.get(1).sourceFacts.asOrganization).isEqualTo("DM AUTO EOOD");
            assertThat(out.get(2).sourceFacts.asOrganization).isEqualTo("Doc, Inc.");
            assertThat(out.get(3).sourceFacts)
                    .as("no database knows it: the alert as it was")
                    .isNull();
            assertThat(out.get(4).sourceFacts)
                    .as("a source from anywhere has no facts")
                    .isNull();
            assertThat(out.get(5).sourceFacts)
                    .as("a documentation address is placed nowhere, whatever a database says")
                    .isNull();
        }
    }
}
