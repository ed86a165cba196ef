package io.scanwatch.job.sink.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster said about each document of a {@code _bulk} request. Throttling (429) and server errors (5xx)
 * are worth another try; any other 4xx (a mapping conflict, a malformed document) will fail again the same way,
 * so retrying it would block the rest forever: it is rejected. Except 401, 403 and 404, which refuse the index, not
 * the document (a write block, a role without the right to write there, an index the cluster will not create):
 * every alert would meet them. So does a data stream's 400 for an {@code index} operation: it takes only {@code
 * create}, and would refuse every alert however well formed.
 */
public enum BulkVerdict {
    DONE,
    RETRY,
    REJECT,
    REFUSE;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One item's verdict and, unless done, the cluster's words for why. */
    public record Item(BulkVerdict verdict, int status, String error) {}

    public static BulkVerdict of(int status) {
        if (status >= 200 && status < 300) {
            return DONE;
        }
        if (status == 429 || status >= 500) {
            return RETRY;
        }
        return status == 401 || status == 403 || status == 404 ? REFUSE : REJECT;
    }

    /**
     * A data stream's answer to an {@code index} operation. Its start only: a mapping error quotes the document's own
     * values, which a scanner's logon name may fill with these words.
     */
    private static boolean refusesEveryDocument(int status, String reason) {
        return status == 400
                && reason != null
                && reason.startsWith("illegal_argument_exception: only write ops with an op_type of create");
    }

    /** The items of a {@code _bulk} response, in request order. */
    public static List<Item> items(byte[] response, int expected) throws IOException {
        JsonNode root = JSON.readTree(response);
        JsonNode items = root.path("items");
        if (!items.isArray() || items.size() != expected) {
            throw new IOException("a _bulk response with " + items.size() + " items for " + expected + " documents");
        }
        List<Item> verdicts = new ArrayList<>(expected);
        for (JsonNode item : items) {
            JsonNode result = item.elements().hasNext() ? item.elements().next() : item;
            int status = result.path("status").asInt(500);
            JsonNode error = result.path("error");
            String reason = error.isMissingNode()
                    ? null
                    : error.path("type").asText("") + ": "
                            + error.path("reason").asText(error.toString());
            verdicts.add(new Item(refusesEveryDocument(status, reason) ? REFUSE : of(status), status, reason));
        }
        return verdicts;
    }
}
