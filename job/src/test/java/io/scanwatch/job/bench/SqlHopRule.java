package io.scanwatch.job.bench;

import io.scanwatch.event.ProbeLike;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.source.TelemetryRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * The peer #11 measures the job against: the classic network-scan rule as a Flink SQL user writes it, a hopping
 * window of 5 minutes every minute with COUNT DISTINCT. In the job's replay mode (batch), twice: end to end, reading the
 * file with Flink's filesystem connector and JSON format, as a SQL user would; and on the job's own reader and
 * parser, so that only the rule engine differs; and end to end in streaming mode, as both run live. The thresholds are the job's defaults; what the job adds beyond
 * them (the dominant-service guard, suppression, classification) has no line here.
 */
final class SqlHopRule {
    /** One row per window that fires, as an alert stream; the caller keeps the distinct sources. */
    private static final String QUERY = "SELECT src"
            + " FROM TABLE(HOP(TABLE connections, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))"
            + " WHERE probe"
            + " GROUP BY src, window_start, window_end"
            + " HAVING COUNT(DISTINCT dst) > 20 OR COUNT(DISTINCT port) >= 15 OR COUNT(*) > 100";

    private SqlHopRule() {}

    /** The sources the rule flags in any window, Flink SQL reading the Zeek JSON itself. */
    static Set<String> endToEnd(Path file, int parallelism, RuntimeExecutionMode mode) throws Exception {
        StreamTableEnvironment tables = StreamTableEnvironment.create(environment(parallelism, mode));
        // Zeek's states for an attempt that never used the service: unanswered, rejected, reset or half-open.
        tables.executeSql("CREATE TEMPORARY TABLE connections ("
                + " ts DOUBLE, `id.orig_h` STRING, `id.resp_h` STRING, `id.resp_p` INT, conn_state STRING,"
                + " src AS `id.orig_h`, dst AS `id.resp_h`, port AS `id.resp_p`,"
                + " probe AS conn_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'),"
                + " rowtime AS TO_TIMESTAMP_LTZ(CAST(ts * 1000 AS BIGINT), 3),"
                + " WATERMARK FOR rowtime AS rowtime - INTERVAL '5' MINUTE"
                + ") WITH ('connector' = 'filesystem', 'path' = '" + file.toUri()
                + "', 'format' = 'json', 'json.ignore-parse-errors' = 'true')");
        return scanners(tables);
    }

    /** The sources the rule flags in any window, on records the job's reader and parser produce. */
    static Set<String> onTheJobsParser(Path file, ScanwatchConfig config, int parallelism) throws Exception {
        StreamExecutionEnvironment env = environment(parallelism, RuntimeExecutionMode.BATCH);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        DataStream<Row> connections = ThroughputBench.zeekConn(env, file, config)
                .get(0)
                .records()
                .flatMap(new ToRow())
                .returns(new RowTypeInfo(Types.STRING, Types.STRING, Types.INT, Types.BOOLEAN, Types.INSTANT));
        tables.createTemporaryView(
                "connections",
                tables.fromDataStream(
                                connections,
                                Schema.newBuilder()
                                        .column("f0", DataTypes.STRING())
                                        .column("f1", DataTypes.STRING())
                                        .column("f2", DataTypes.INT())
                                        .column("f3", DataTypes.BOOLEAN())
                                        .column("f4", DataTypes.TIMESTAMP_LTZ(3))
                                        .watermark("f4", "f4 - INTERVAL '5' MINUTE")
                                        .build())
                        .as("src", "dst", "port", "probe", "rowtime"));
        return scanners(tables);
    }

    private static StreamExecutionEnvironment environment(int parallelism, RuntimeExecutionMode mode) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(parallelism);
        return env;
    }

    private static Set<String> scanners(StreamTableEnvironment tables) throws Exception {
        Set<String> scanners = new TreeSet<>();
        try (CloseableIterator<Row> rows =
                tables.toDataStream(tables.sqlQuery(QUERY)).executeAndCollect("scanwatch bench SQL HOP")) {
            rows.forEachRemaining(row -> scanners.add((String) row.getField(0)));
        }
        return scanners;
    }

    /** A connection as the rule's columns: a probe as the job's rule counts one ({@link ProbeLike#attempt}). */
    private static final class ToRow implements FlatMapFunction<TelemetryRecord, Row> {
        @Override
        public void flatMap(TelemetryRecord record, Collector<Row> out) {
            if (record.kind == TelemetryRecord.Kind.CONNECTION) {
                out.collect(Row.of(
                        record.connection.sourceIp,
                        record.connection.destinationIp,
                        record.connection.destinationPort,
                        ProbeLike.attempt(record.connection.outcome, record.connection.transport),
                        Instant.ofEpochMilli(record.connection.timestamp)));
            }
        }
    }
}
