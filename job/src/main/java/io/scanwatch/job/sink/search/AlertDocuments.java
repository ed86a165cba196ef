package io.scanwatch.job.sink.search;

import io.scanwatch.job.config.SearchIndexName;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.sink.AlertLines;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/** An alert as a document: its ECS JSON, under its deterministic id, in the index its time names. */
public final class AlertDocuments implements ElementConverter<Alert, BulkAction> {
    private final String index;
    private final AlertLines lines;

    public AlertDocuments(String index, int sampleSize) {
        this.index = index;
        this.lines = new AlertLines(sampleSize, false);
    }

    @Override
    public BulkAction apply(Alert alert, SinkWriter.Context context) {
        return new BulkAction(
                SearchIndexName.of(index, alert.raisedAt()),
                alert.id,
                lines.line(alert).getBytes(StandardCharsets.UTF_8));
    }
}
