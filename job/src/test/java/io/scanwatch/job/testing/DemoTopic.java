package io.scanwatch.job.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's Zeek capture on a topic of two partitions, and after it newer traffic, which carries the watermark past
 * the capture's last windows, as it would on a live topic: a stream of it raises its alerts without waiting.
 */
public final class DemoTopic {
    private DemoTopic() {}

    /**
     * @param capture the demo's Zeek capture ({@code telemetry/zeek/edge-conn.json.log} of the test data)
     * @return how many records the topic got
     */
    public static int produce(KafkaBroker kafka, String topic, Path capture) throws Exception {
        kafka.createTopic(topic, 2);
        List<String> telemetry = new ArrayList<>(Files.readAllLines(capture));
        long later = Instant.parse("2026-03-02T11:30:00Z").toEpochMilli();
        telemetry.add(ZeekLines.connection(later, "10.20.1.10", "203.0.113.9", 443, true));
        kafka.produce(topic, telemetry, 2);
        return telemetry.size();
    }
}
