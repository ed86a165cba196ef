package io.scanwatch.job.sink.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanwatch.job.config.SearchIndexName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

/** Bulk bodies, per-item verdicts as the clusters write them, index names, and buffered documents in state. */
class BulkVerdictTest {
    @Test
    void statusesAreRetriedOnlyWhereAnotherTryCanSucceed() {
        assertThat(BulkVerdict.of(201)).isEqualTo(BulkVerdict.DONE);
        assertThat(BulkVerdict.of(200)).isEqualTo(BulkVerdict.DONE);
        assertThat(BulkVerdict.of(429)).isEqualTo(BulkVerdict.RETRY);
        assertThat(BulkVerdict.of(503)).isEqualTo(BulkVerdict.RETRY);
        assertThat(BulkVerdict.of(400)).as("a mapping error fails every time").isEqualTo(BulkVerdict.REJECT);
        assertThat(BulkVerdict.of(404)).as("the index, not the document").isEqualTo(BulkVerdict.REFUSE);
        assertThat(BulkVerdict.of(403)).as("a write block, a missing privilege").isEqualTo(BulkVerdict.REFUSE);
    }

    @Test
    void itemsAreReadInRequestOrderWithTheClustersReason() throws IOException {
        String response = """
                {"took":3,"errors":true,"items":[
                 {"index":{"_index":"a","_id":"1","status":201,"result":"created"}},
                 {"index":{"_index":"a","_id":"2","status":400,"error":{"type":"mapper_parsing_exception",
                   "reason":"failed to parse field [source.ip] of type [ip]"}}},
                 {"index":{"_index":"a","_id":"3","status":429,"error":{"type":"es_rejected_execution_exception",
                   "reason":"rejected execution"}}}]}""";
        List<BulkVerdict.Item> items = BulkVerdict.items(response.getBytes(StandardCharsets.UTF_8), 3);
        assertThat(items)
                .extracting(BulkVerdict.Item::verdict)
                .containsExactly(BulkVerdict.DONE, BulkVerdict.REJECT, BulkVerdict.RETRY);
        assertThat(items.get(1).error())
                .isEqualTo("mapper_parsing_exception: failed to parse field [source.ip] of type [ip]");
        assertThatThrownBy(() -> BulkVerdict.items("{\"items\":[]}".getBytes(StandardCharsets.UTF_8), 3))
                .hasMessageContaining("0 items for 3 documents");
    }

    /** A data stream as search.index would send every alert, however well formed, to the dead-letter index. */
    @Test
    void aDataStreamRefusingTheIndexOperationRefusesTheIndexNotTheDocument() throws IOException {
        String response = """
                {"took":1,"errors":true,"items":[
                 {"index":{"_index":"alerts","_id":"1","status":400,"error":{"type":"illegal_argument_exception",
                   "reason":"only write ops with an op_type of create are allowed in data streams"}}}]}""";
        assertThat(BulkVerdict.items(response.getBytes(StandardCharsets.UTF_8), 1))
                .extracting(BulkVerdict.Item::verdict)
                .containsExactly(BulkVerdict.REFUSE);
        String quoting = """
                {"took":1,"errors":true,"items":[
                 {"index":{"_index":"alerts","_id":"1","status":400,"error":{"type":"mapper_parsing_exception",
                   "reason":"failed to parse [user]: 'only write ops with an op_type of create'"}}}]}""";
        assertThat(BulkVerdict.items(quoting.getBytes(StandardCharsets.UTF_8), 1))
                .as("an alert's own words in a mapping error: that document only")
                .extracting(BulkVerdict.Item::verdict)
                .containsExactly(BulkVerdict.REJECT);
    }

    @Test
    void theBodyIsTwoLinesPerDocumentWithTheIdQuoted() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new BulkAction("alerts", "a\"b", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)).appendTo(body);
        assertThat(body.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"index\":{\"_index\":\"alerts\",\"_id\":\"a\\\"b\"}}\n{\"x\":1}\n");
    }

    @Test
    void indexNamesFollowTheAlertsTimeInUtc() {
        long t = Instant.parse("2026-11-23T23:59:59Z").toEpochMilli();
        assertThat(SearchIndexName.of("scanwatch-alerts-{yyyy.MM.dd}", t)).isEqualTo("scanwatch-alerts-2026.11.23");
        assertThat(SearchIndexName.of("fixed", t)).isEqualTo("fixed");
        assertThatThrownBy(() -> SearchIndexName.check("Alerts")).hasMessageContaining("lower case");
        assertThatThrownBy(() -> SearchIndexName.check("alerts-{qqqq-zz}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bufferedDocumentsSurviveACheckpointAsBytes() throws IOException {
        BulkAction action =
                new BulkAction("scanwatch-alerts-2026.11.23", "id-1", "{\"é\":\"✓\"}".getBytes(StandardCharsets.UTF_8));
        List<RequestEntryWrapper<BulkAction>> entries = new ArrayList<>();
        entries.add(new RequestEntryWrapper<>(action, action.sizeInBytes()));
        BulkActionSerializer serializer = new BulkActionSerializer();
        byte[] bytes = serializer.serialize(new BufferedRequestState<>(entries));
        BulkAction restored = serializer
                .deserialize(serializer.getVersion(), bytes)
                .getBufferedRequestEntries()
                .get(0)
                .getRequestEntry();
        assertThat(restored.index()).isEqualTo(action.index());
        assertThat(restored.id()).isEqualTo("id-1");
        assertThat(restored.document()).isEqualTo(action.document());
    }
}
