package io.scanwatch.job.sink;

import io.scanwatch.job.alert.AlertJson;
import io.scanwatch.job.config.ScanwatchConfig.Delivery;
import io.scanwatch.job.config.ScanwatchConfig.KafkaConfig;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ControlStatus;
import io.scanwatch.job.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Alerts and dead letters to their Kafka topics. */
public final class KafkaSinks {
    private KafkaSinks() {}

    /**
     * Alerts keyed by source address (one source's alerts stay in order on one partition), value the alert JSON.
     * The record timestamp is when the alert was written, not the event time in its payload: a replay of last
     * month's telemetry must not write alerts that the topic's time-based retention deletes at once.
     * Exactly once through Kafka transactions committed with each checkpoint, unless at-least-once is configured.
     */
    public static KafkaSink<Alert> alerts(KafkaConfig kafka, int sampleSize) {
        boolean exactlyOnce = kafka.delivery() == Delivery.EXACTLY_ONCE;
        return KafkaSink.<Alert>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(kafka.clientProperties())
                .setProperty(
                        "transaction.timeout.ms",
                        String.valueOf(kafka.transactionTimeout().toMillis()))
                .setRecordSerializer(new AlertRecords(kafka.alertsTopic(), sampleSize))
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIds())
                .build();
    }

    /** Dead letters, at least once: a record read again after a restart may be reported again. */
    public static KafkaSink<DeadLetter> deadLetters(KafkaConfig kafka) {
        return lines(kafka, kafka.deadLettersTopic(), DeadLetterJson::write);
    }

    public static KafkaSink<ControlStatus> controlStatuses(KafkaConfig kafka, String topic) {
        return lines(kafka, topic, ControlStatusJson::write);
    }

    /** One JSON line per record, at least once: outputs an operator reads, not the alerts. */
    private static <T> KafkaSink<T> lines(KafkaConfig kafka, String topic, LineFormat<T> format) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(kafka.clientProperties())
                .setRecordSerializer(
                        (KafkaRecordSerializationSchema<T>) (record, context, timestamp) -> new ProducerRecord<>(
                                topic,
                                null,
                                System.currentTimeMillis(),
                                null,
                                format.line(record).getBytes(StandardCharsets.UTF_8)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static final class AlertRecords implements KafkaRecordSerializationSchema<Alert> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final int sampleSize;
        private transient AlertJson json;

        AlertRecords(String topic, int sampleSize) {
            this.topic = topic;
            this.sampleSize = sampleSize;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
            if (json == null) {
                json = new AlertJson(sampleSize);
            }
            return new ProducerRecord<>(
                    topic,
                    null,
                    System.currentTimeMillis(),
                    alert.detection.sourceIp.getBytes(StandardCharsets.UTF_8),
                    json.write(alert).getBytes(StandardCharsets.UTF_8));
        }
    }
}
