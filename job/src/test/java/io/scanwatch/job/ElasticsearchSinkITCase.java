package io.scanwatch.job;

import io.scanwatch.job.testing.SearchNode;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The search sink against a real Elasticsearch 7.10.2 node. */
class ElasticsearchSinkITCase extends SearchSinkITCase {
    @RegisterExtension
    static final SearchNode NODE = SearchNode.elasticsearch();

    @Override
    SearchNode node() {
        return NODE;
    }
}
