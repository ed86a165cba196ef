package io.scanwatch.job.testing;

import io.scanwatch.job.sink.search.SearchOutcomesFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the integration tests share the shape of: one TaskManager with two slots, like this machine. */
public final class TestCluster {
    private TestCluster() {}

    public static MiniClusterExtension twoSlots() {
        Configuration conf = new Configuration();
        // As the command line's embedded cluster has it when it writes to a search cluster.
        SearchOutcomesFactory.configure(conf);
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(conf)
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }
}
