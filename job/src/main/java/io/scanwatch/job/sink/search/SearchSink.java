package io.scanwatch.job.sink.search;

import io.scanwatch.job.config.ScanwatchConfig.SearchConfig;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An Elasticsearch or OpenSearch sink: batches by count, bytes and time; a bounded number of requests in flight
 * and documents buffered (then backpressure); buffered documents in checkpoints.
 */
public final class SearchSink<T> extends AsyncSinkBase<T, BulkAction> {
    private static final int MAX_IN_FLIGHT_REQUESTS = 4;
    private static final long MAX_BATCH_BYTES = 5L << 20;
    private static final long MAX_DOCUMENT_BYTES = 1L << 20;

    private final SearchConfig config;

    public SearchSink(ElementConverter<T, BulkAction> converter, SearchConfig config) {
        super(
                converter,
                config.maxBatch(),
                MAX_IN_FLIGHT_REQUESTS,
                config.maxBatch() * MAX_IN_FLIGHT_REQUESTS * 4,
                MAX_BATCH_BYTES,
                config.flushInterval().toMillis(),
                MAX_DOCUMENT_BYTES,
                flinkRequestTimeout(config),
                false);
        this.config = config;
    }

    /**
     * Longer than any request of the writer's can stay in flight: an attempt (a bulk, then its dead letters) takes two
     * request timeouts at most, and a batch held back while documents wait stays until the backlog drains, the next
     * checkpoint takes it in, or the progress timeout fails the job after the pause before a retry. Flink, timing one
     * out, would send its documents again while the writer still holds them.
     */
    static long flinkRequestTimeout(SearchConfig config) {
        return config.progressTimeout().toMillis()
                + SearchSinkWriter.LONGEST_PAUSE_MILLIS
                + 2 * config.requestTimeout().toMillis();
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<BulkAction>> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<BulkAction>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<BulkAction>> state) {
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .build();
        return new SearchSinkWriter<>(getElementConverter(), context, configuration, state, config);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<BulkAction>> getWriterStateSerializer() {
        return new BulkActionSerializer();
    }
}
