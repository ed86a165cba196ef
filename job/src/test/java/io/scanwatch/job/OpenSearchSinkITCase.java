package io.scanwatch.job;

import io.scanwatch.job.testing.SearchNode;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The search sink against a real OpenSearch 2.19 node. */
class OpenSearchSinkITCase extends SearchSinkITCase {
    @RegisterExtension
    static final SearchNode NODE = SearchNode.opensearch();

    @Override
    SearchNode node() {
        return NODE;
    }
}
