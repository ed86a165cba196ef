package io.scanwatch.job.sink.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutageReportTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final OutageReport report = new OutageReport("[http://search:9200]", Duration.ofMinutes(5));

    @Test
    void anOutageIsToldAtItsStartOnceAMinuteWhileItLastsAndAtItsEnd() {
        long t = 1_000 * SECOND;
        assertThat(report.succeeded(t)).as("nothing failed before").isNull();
        assertThat(report.failed(t, "ConnectException", 5, 100))
                .isEqualTo("search cluster [http://search:9200] busy or unreachable (ConnectException); retrying 5"
                        + " alert(s) in 100 ms");
        assertThat(report.failed(t + 30 * SECOND, "ConnectException", 8, 6_400)).isNull();
        assertThat(report.failed(t + 65 * SECOND, "ConnectException", 8, 60_000))
                .isEqualTo("search cluster [http://search:9200] still busy or unreachable after 65 s"
                        + " (ConnectException); 8 alert(s) wait for it, the job fails once nothing went through for"
                        + " search.progress-timeout (300 s)");
        assertThat(report.failed(t + 100 * SECOND, "ConnectException", 8, 60_000))
                .as("told 35 s ago")
                .isNull();
        assertThat(report.failed(t + 126 * SECOND, "HTTP 429", 9, 60_000)).contains("after 126 s (HTTP 429); 9 alert");
        assertThat(report.succeeded(t + 130 * SECOND))
                .isEqualTo("search cluster [http://search:9200] reachable again after 130 s: the alerts that waited go"
                        + " to it now");
        assertThat(report.succeeded(t + 131 * SECOND)).as("told once").isNull();
        assertThat(report.failed(t + 200 * SECOND, "ConnectException", 1, 100))
                .as("a new outage starts its own count")
                .startsWith("search cluster [http://search:9200] busy or unreachable");
        assertThat(report.succeeded(t + 203 * SECOND)).contains("after 3 s");
    }
}
