package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.Detectors;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TelemetryDeserializerTest {
    private static ConsumerRecord<byte[], byte[]> zeek(long epochMillis) {
        String line = String.format(
                "{\"ts\":%d.%03d,\"id.orig_h\":\"198.51.100.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.1\","
                        + "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\"}",
                epochMillis / 1000, epochMillis % 1000);
        return new ConsumerRecord<>("zeek", 0, 7, null, line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A sensor whose clock is two hours ahead: its records would push the partition's watermark past every other
     * sensor's. Beyond the bound (an hour by default) they are dead letters saying why; within it they are read.
     */
    @Test
    void aRecordTooFarAheadOfTheClockIsADeadLetter() {
        TelemetryDeserializer deserializer = new TelemetryDeserializer(
                TelemetryFormat.ZEEK_CONN,
                Detectors.configLoader().defaults().parsing(),
                Detectors.configLoader().defaults().eventTime().maxAheadOfClock(),
                HeaderLookback.none());
        List<TelemetryRecord> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        deserializer.deserialize(zeek(now + Duration.ofHours(2).toMillis()), new ListCollector<>(out));
        deserializer.deserialize(zeek(now + Duration.ofMinutes(5).toMillis()), new ListCollector<>(out));
        deserializer.deserialize(zeek(now - Duration.ofDays(400).toMillis()), new ListCollector<>(out));
        assertThat(out)
                .extracting(record -> record.kind)
                .containsExactly(
                        TelemetryRecord.Kind.DEAD_LETTER,
                        TelemetryRecord.Kind.CONNECTION,
                        TelemetryRecord.Kind.CONNECTION);
        assertThat(out.get(0).deadLetter.reason)
                .contains("ahead of this machine's clock (event-time.max-ahead-of-clock)");
        assertThat(out.get(0).deadLetter.origin).isEqualTo("zeek/0@7");
    }
}
