package io.scanwatch.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions in a real Flink SQL table environment: the classic network-scan rule (distinct hosts probed per
 * source) as a query over the bundled Zeek capture finds the horizontal scanners the job finds, and the
 * classification functions agree with the job's.
 */
class ScanQueryTest {
    private static final String INTERNAL = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";
    private static TableEnvironment sql;

    @BeforeAll
    static void registerFunctions() throws Exception {
        Configuration local = new Configuration();
        // One parser reads the file in order, as the job's source does (Zeek TSV headers carry over).
        local.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        sql = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(local)
                .build());
        sql.createTemporarySystemFunction("parse_telemetry", ParseTelemetry.class);
        sql.createTemporarySystemFunction("is_internal", IsInternal.class);
        sql.createTemporarySystemFunction("network_direction", NetworkDirection.class);
        sql.createTemporarySystemFunction("is_probe", IsProbe.class);
        Path capture = Path.of(System.getProperty("scanwatch.testdata"), "telemetry/zeek/edge-conn.json.log");
        sql.executeSql("CREATE TEMPORARY TABLE edge (line STRING) WITH ('connector' = 'filesystem', 'path' = '"
                + capture.toUri() + "', 'format' = 'raw')");
    }

    private static List<Row> query(String statement) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> result = sql.executeSql(statement).collect()) {
            result.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void theClassicRuleAsAQueryFindsTheHorizontalScanners() throws Exception {
        // A streaming query updates each source's count as rows arrive; the last update per source is its total.
        Map<String, Long> hosts = new HashMap<>();
        for (Row row : query("SELECT t.source_ip, COUNT(DISTINCT t.destination_ip)"
                + " FROM edge, LATERAL TABLE(parse_telemetry('zeek-conn', line)) AS t"
                + " WHERE t.kind = 'connection' AND is_probe(t.outcome, t.transport)"
                + " GROUP BY t.source_ip")) {
            if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
                hosts.put((String) row.getField(0), (Long) row.getField(1));
            }
        }
        assertThat(hosts.entrySet().stream().filter(e -> e.getValue() > 20).map(Map.Entry::getKey))
                .as(
                        "the SSH sweeper and the MongoDB sweeper of the edge capture; 10.20.0.250 is the authorised scanner")
                .containsExactlyInAnyOrder("198.51.100.200", "10.20.7.15", "10.20.0.250");
    }

    @Test
    void classificationAgreesWithTheJob() throws Exception {
        List<Row> rows = query(
                "SELECT is_internal('10.20.1.10', '" + INTERNAL + "'),"
                        + " is_internal('203.0.113.9', '" + INTERNAL + "'), is_internal('not an ip', '" + INTERNAL
                        + "'),"
                        + " network_direction('203.0.113.9', '10.20.5.10', '" + INTERNAL + "'),"
                        + " network_direction('10.20.7.15', '198.51.100.1', '" + INTERNAL + "'),"
                        + " is_probe('unanswered'), is_probe('completed'), is_probe('completed', 'icmp'),"
                        + " is_probe('unknown', 'other'), is_probe('rejected', 'udp'), is_probe('completed', 'carrier pigeon')");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getField(0)).isEqualTo(true);
            assertThat(row.getField(1)).isEqualTo(false);
            assertThat(row.getField(2)).isNull();
            assertThat(row.getField(3)).isEqualTo("inbound");
            assertThat(row.getField(4)).isEqualTo("outbound");
            assertThat(row.getField(5)).isEqualTo(true);
            assertThat(row.getField(6)).isEqualTo(false);
            assertThat(row.getField(7))
                    .as("an answered ping, as the network scan counts it")
                    .isEqualTo(true);
            assertThat(row.getField(8)).as("ESP, GRE, IGMP").isEqualTo(false);
            assertThat(row.getField(9)).isEqualTo(true);
            assertThat(row.getField(10)).isNull();
        });
        assertThat(query("SELECT is_internal('10.20.1.10', ''), network_direction('10.20.1.10', '10.1.1.1', ' '),"
                        + " is_internal(' 10.20.1.10 ', '10.0.0.0/8'), is_probe(' Completed ')"))
                .as("no internal ranges: nothing is internal; an address padded with spaces is still one")
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.getField(0)).isEqualTo(false);
                    assertThat(row.getField(1)).isEqualTo("external");
                    assertThat(row.getField(2)).isEqualTo(true);
                    assertThat(row.getField(3)).isEqualTo(false);
                });
        for (String wrong : List.of("10.0.0.0/8;192.168.0.0/16", "10.0.0.0/8,", ",10.0.0.0/8")) {
            assertThatThrownBy(() -> query("SELECT is_internal(CAST(NULL AS STRING), '" + wrong + "')"))
                    .as("a wrong list fails the query even where no address parses: %s", wrong)
                    .hasStackTraceContaining(wrong);
        }
        assertThatThrownBy(() -> query("SELECT is_internal('10.1.2.3', '10.0.0.0')"))
                .as("as the job refuses it: read as the one address, 10.1.2.3 would be external")
                .hasStackTraceContaining("'10.0.0.0' is one address, the first of a network rather than a host");
        assertThat(query("SELECT is_internal('10.0.0.5', '10.0.0.5'), is_internal('10.1.2.3', CAST(NULL AS STRING))"))
                .as("one host's address is a list of one; a null list gives null")
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.getField(0)).isEqualTo(true);
                    assertThat(row.getField(1)).isNull();
                });
    }

    /**
     * A directory of a Suricata eve file and a Zeek TSV log, read with {@code auto}: each file its own stream by its
     * path (the connector's metadata), each recognised as what it is. As one stream, the first file's format would
     * be kept, and the other file's rows lost.
     */
    @Test
    void eachFileIsAStreamOfItsOwnByItsPath(@TempDir Path dir) throws Exception {
        Path telemetry = Path.of(System.getProperty("scanwatch.testdata"), "telemetry");
        Files.copy(telemetry.resolve("suricata/dmz-eve.json"), dir.resolve("dmz.log"));
        Files.copy(telemetry.resolve("zeek/branch-conn.tsv.log"), dir.resolve("branch.log"));
        sql.executeSql("CREATE TEMPORARY TABLE zeek_dir (line STRING, path STRING NOT NULL METADATA FROM 'file.path')"
                + " WITH ('connector' = 'filesystem', 'path' = '" + dir.toUri() + "', 'format' = 'raw')");
        Map<String, Long> rows = new HashMap<>();
        for (Row row : query("SELECT path, COUNT(*) FROM zeek_dir,"
                + " LATERAL TABLE(parse_telemetry('auto', line, path)) AS t GROUP BY path")) {
            if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
                rows.put(Path.of((String) row.getField(0)).getFileName().toString(), (Long) row.getField(1));
            }
        }
        assertThat(rows.get("branch.log")).as("the TSV file's connections").isGreaterThan(800L);
        assertThat(rows.get("dmz.log")).as("the eve file's flows").isGreaterThan(50L);
    }
}
