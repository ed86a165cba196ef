package io.scanwatch.job.bench;

import io.scanwatch.job.EmbeddedCluster;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.source.TelemetryRecord;
import java.nio.file.Path;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Flink reading the file and nothing after it: the job's own source (Flink's {@code FileSource}, the file read in
 * ranges by every reader, each line parsed by the job's parser, the parser the one-thread peers use) on the embedded
 * cluster a replay starts, its records counted and dropped where they are read. No routing, no shuffle, no detector:
 * what any job on this stack pays to have the records in hand, against which the peers' ratios can be read (in a warm
 * JVM; as a process of its own, {@link OneShotBench} runs it as the peers run). The job's own floor ({@link JobFloor})
 * routes them too.
 */
final class ReadingFloor {
    private static final String READ = "records read";

    private ReadingFloor() {}

    /**
     * Reads the file; fails unless it read {@code connections}, every connection in it: reading fewer, it would have
     * measured less than the file.
     */
    static void replay(Path file, ScanwatchConfig config, int parallelism, long connections) throws Exception {
        StreamExecutionEnvironment env = ThroughputBench.replayEnvironment(config, parallelism);
        ThroughputBench.zeekConn(env, file, config)
                .get(0)
                .records()
                .process(new CountConnections())
                .name("count the connections")
                .sinkTo(new DiscardingSink<>())
                .name("nothing");
        EmbeddedCluster.fitNetwork(env);
        Long read = env.execute("scanwatch bench reading floor").getAccumulatorResult(READ);
        if (read == null || read != connections) {
            throw new IllegalStateException("Flink reading alone read " + read + " connections of " + connections);
        }
    }

    /** Counts what was parsed into a connection, so that the bench can tell the run read the whole file. */
    private static final class CountConnections extends ProcessFunction<TelemetryRecord, Void> {
        private transient LongCounter read;

        @Override
        public void open(OpenContext openContext) {
            read = new LongCounter();
            getRuntimeContext().addAccumulator(READ, read);
        }

        @Override
        public void processElement(TelemetryRecord record, Context ctx, Collector<Void> out) {
            if (record.kind == TelemetryRecord.Kind.CONNECTION) {
                read.add(1);
            }
        }
    }
}
