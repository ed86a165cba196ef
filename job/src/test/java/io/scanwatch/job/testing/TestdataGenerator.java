package io.scanwatch.job.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes {@code testdata/telemetry/}: the same half hour of one organisation seen by every kind of sensor, with
 * ordinary traffic and the scans and logons listed in {@code testdata/README.md}. Deterministic, so the files and
 * the expected output beside them stay true; {@code TestdataIsCurrentTest} fails when the two drift apart.
 *
 * <p>Regenerate after changing a scenario: {@code java -cp udfs/target/classes:job/target/test-classes
 * io.scanwatch.job.testing.TestdataGenerator testdata}, then the expected output with
 * {@code -Dscanwatch.update-golden=true}, and review both diffs.
 */
public final class TestdataGenerator {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private final Random random = new Random(20260302);
    private final List<Row> rows = new ArrayList<>();
    private int uid;

    /** One conn.log record; {@code ts} in epoch seconds. */
    record Row(
            double ts,
            String orig,
            int origPort,
            String resp,
            int respPort,
            String proto,
            String state,
            String history,
            long origBytes,
            long respBytes,
            long origPkts,
            long respPkts,
            double duration,
            String uid) {}

    /** Every file, by its path under {@code testdata/telemetry}, with the format it is written in. */
    public static final Map<String, String> FILES = new TreeMap<>(Map.of(
            "zeek/edge-conn.json.log", "zeek-conn",
            "zeek/branch-conn.tsv.log", "zeek-conn",
            "zeek/honeypot-ssh.json.log", "zeek-ssh",
            "suricata/dmz-eve.json", "suricata-eve",
            "nfdump/core-flows.csv", "nfdump-csv",
            "nfdump/lab-flows.json", "nfdump-json",
            "netfilter/fw-kern.log", "netfilter",
            "vpcflow/vpc-flows.log", "vpcflow",
            "windows/workstation-events.jsonl", "windows-json",
            "sshd/bastion-auth.log", "sshd"));

    public static void main(String[] args) throws IOException {
        Path telemetry = Path.of(args.length > 0 ? args[0] : "testdata").resolve("telemetry");
        for (String file : FILES.keySet()) {
            Files.createDirectories(telemetry.resolve(file).getParent());
            Files.writeString(telemetry.resolve(file), content(file), StandardCharsets.UTF_8);
        }
    }

    /** What the generator writes for one file. */
    public static String content(String file) {
        TestdataGenerator g = new TestdataGenerator();
        switch (file) {
            case "zeek/edge-conn.json.log":
                return g.edgeJson();
            case "zeek/branch-conn.tsv.log":
                return g.branchTsv();
            default:
                return OtherSensors.content(file);
        }
    }

    /** The edge sensor: background traffic, an Internet connect scan, an outbound MongoDB scan, sweeps, a loop. */
    String edgeJson() {
        background(List.of("10.20.1.10", "10.20.1.11", "10.20.1.12", "10.20.1.13", "10.20.1.14", "10.20.1.15"), 30);
        // A busy but benign client: fifteen different external services, all used.
        for (int i = 0; i < 15; i++) {
            add(at(300 + i * 17), "10.20.1.5", "203.0.113." + (100 + i), 443, "tcp", "SF", "ShADadFf", 700, 5200, 9, 8);
        }
        // Internet host connect-scanning the DMZ: handshakes completed and reset at once, 12 hosts x 3 services.
        for (int h = 0; h < 12; h++) {
            for (int port : new int[] {22, 80, 443}) {
                add(
                        at(300 + h * 12 + port % 7),
                        "203.0.113.50",
                        "10.20.5." + (10 + h),
                        port,
                        "tcp",
                        "RSTO",
                        "ShAR",
                        0,
                        0,
                        3,
                        1);
            }
        }
        // Internal host reaching forty MongoDB servers on the Internet.
        for (int i = 1; i <= 40; i++) {
            boolean refused = i % 8 == 0;
            add(
                    at(600 + i * 4.5),
                    "10.20.7.15",
                    "198.51.100." + i,
                    27017,
                    "tcp",
                    refused ? "REJ" : "S0",
                    refused ? "Sr" : "S",
                    0,
                    0,
                    refused ? 1 : 2,
                    refused ? 1 : 0);
        }
        // Internet SSH sweep of sixty hosts.
        for (int i = 1; i <= 60; i++) {
            boolean refused = i % 6 == 0;
            add(
                    at(900 + i * 1.5),
                    "198.51.100.200",
                    "10.20.9." + i,
                    22,
                    "tcp",
                    refused ? "REJ" : "S0",
                    refused ? "Sr" : "S",
                    0,
                    0,
                    1,
                    refused ? 1 : 0);
        }
        // An internal host port-scanning a server: 20 ports in the first minute, 40 more in the second...
        for (int p = 1; p <= 60; p++) {
            add(
                    at(1200 + (p <= 20 ? p * 2 : 60 + (p - 20) * 1.2)),
                    "10.20.3.44",
                    "10.20.5.10",
                    p,
                    "tcp",
                    "REJ",
                    "Sr",
                    0,
                    0,
                    1,
                    1);
        }
        // ...then a second server: another scan, not part of the first.
        for (int p = 1; p <= 25; p++) {
            add(at(1440 + p * 2), "10.20.3.44", "10.20.5.11", 1000 + p, "tcp", "REJ", "Sr", 0, 0, 1, 1);
        }
        // Malware reconnecting to its C2 server every two seconds for ten minutes: refused, not scanning.
        for (int i = 0; i < 300; i++) {
            add(at(i * 2 + 0.4), "10.20.2.77", "192.0.2.200", 4444, "tcp", "REJ", "Sr", 0, 0, 1, 1);
        }
        // The vulnerability scanner, allow-listed in scanwatch-demo.yaml.
        for (int i = 1; i <= 80; i++) {
            add(at(1500 + i * 0.5), "10.20.0.250", "10.20.10." + i, 443, "tcp", "S0", "S", 0, 0, 2, 0);
        }
        List<String> lines = new ArrayList<>();
        for (Row row : shuffledWithinSeconds(10)) {
            lines.add(json(row));
        }
        // Records a sensor or a broken pipeline really produces.
        lines.add(
                120,
                "{\"ts\":1772442120.5,\"uid\":\"Cbroken\",\"id.orig_h\":\"10.20.1.10\",\"id.orig_p\":51514,\"id.res");
        lines.add(
                480,
                json(new Row(
                        START.getEpochSecond() + 480,
                        "10.20.1.300",
                        40000,
                        "203.0.113.7",
                        443,
                        "tcp",
                        "S0",
                        "S",
                        0,
                        0,
                        1,
                        0,
                        0,
                        "Cbadaddr")));
        lines.add(
                900,
                json(new Row(
                        START.getEpochSecond() + 900,
                        "10.20.1.12",
                        40000,
                        "203.0.113.7",
                        99999,
                        "tcp",
                        "S0",
                        "S",
                        0,
                        0,
                        1,
                        0,
                        0,
                        "Cbadport")));
        lines.add(1300, lines.get(1300).replaceFirst("\"ts\":[0-9.]+", "\"ts\":\"abc\""));
        return String.join("\n", lines) + "\n";
    }

    /** The branch sensor writes TSV: an Internet host scans one server, another sweeps over IPv6. */
    String branchTsv() {
        background(List.of("10.30.1.20", "10.30.1.21"), 30);
        for (int p = 0; p < 30; p++) {
            add(
                    at(480 + p * 0.8),
                    "192.0.2.66",
                    "10.30.8.8",
                    new int[] {
                                21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1723, 3306, 3389,
                                5900, 8080, 8443, 8888, 9000, 9090, 9200, 10000, 1433, 1521, 5432, 6379
                            }
                            [p],
                    "tcp",
                    "REJ",
                    "Sr",
                    0,
                    0,
                    1,
                    1);
        }
        for (int i = 1; i <= 25; i++) {
            add(
                    at(1000 + i),
                    "2001:db8:66::7",
                    "2001:db8:30::" + Integer.toHexString(i),
                    3389,
                    "tcp",
                    "S0",
                    "S",
                    0,
                    0,
                    2,
                    0);
        }
        StringBuilder out = new StringBuilder();
        out.append("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n");
        out.append("#open\t2026-03-02-09-00-00\n");
        out.append("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes")
                .append(
                        "\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes")
                .append("\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n");
        out.append("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool")
                .append("\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n");
        List<Row> shuffled = shuffledWithinSeconds(10);
        for (int i = 0; i < shuffled.size(); i++) {
            Row r = shuffled.get(i);
            if (i == 50) {
                out.append(String.format(Locale.ROOT, "%.6f\t%s\t%s\t%d\n", r.ts(), r.uid(), r.orig(), r.origPort()));
            }
            out.append(String.join(
                            "\t",
                            String.format(Locale.ROOT, "%.6f", r.ts()),
                            r.uid(),
                            r.orig(),
                            String.valueOf(r.origPort()),
                            r.resp(),
                            String.valueOf(r.respPort()),
                            r.proto(),
                            r.respPort() == 443 ? "ssl" : "-",
                            String.format(Locale.ROOT, "%.6f", r.duration()),
                            String.valueOf(r.origBytes()),
                            String.valueOf(r.respBytes()),
                            r.state(),
                            "-",
                            "-",
                            "0",
                            r.history(),
                            String.valueOf(r.origPkts()),
                            String.valueOf(r.origPkts() * 52),
                            String.valueOf(r.respPkts()),
                            String.valueOf(r.respPkts() * 52),
                            "(empty)"))
                    .append('\n');
        }
        out.append("#close\t2026-03-02-09-30-00\n");
        return out.toString();
    }

    /** Clients browsing and resolving names every few seconds for {@code minutes}. */
    private void background(List<String> clients, int minutes) {
        for (double t = 0; t < minutes * 60; t += 2 + random.nextInt(6)) {
            String client = clients.get(random.nextInt(clients.size()));
            add(
                    at(t),
                    client,
                    "203.0.113." + (1 + random.nextInt(40)),
                    random.nextBoolean() ? 443 : 80,
                    "tcp",
                    "SF",
                    "ShADadFf",
                    300 + random.nextInt(900),
                    2000 + random.nextInt(60000),
                    8,
                    9);
            add(
                    at(t + 0.2),
                    client,
                    client.substring(0, client.lastIndexOf('.', client.lastIndexOf('.') - 1)) + ".0.53",
                    53,
                    "udp",
                    "SF",
                    "Dd",
                    40,
                    120,
                    1,
                    1);
        }
    }

    private double at(double secondsAfterStart) {
        return START.getEpochSecond() + secondsAfterStart + random.nextInt(1000) / 1000.0;
    }

    private void add(
            double ts,
            String orig,
            String resp,
            int respPort,
            String proto,
            String state,
            String history,
            long origBytes,
            long respBytes,
            long origPkts,
            long respPkts) {
        boolean data = origBytes + respBytes > 0;
        rows.add(new Row(
                ts,
                orig,
                32768 + random.nextInt(28000),
                resp,
                respPort,
                proto,
                state,
                history,
                origBytes,
                respBytes,
                origPkts,
                respPkts,
                data ? 0.05 + random.nextInt(3000) / 1000.0 : 0.0001,
                "C" + (++uid)));
    }

    /** Sorted by time, then each record moved by up to {@code seconds}: sensors write when connections end. */
    private List<Row> shuffledWithinSeconds(int seconds) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Double.compare(a.ts() + jitter(a, seconds), b.ts() + jitter(b, seconds)));
        return sorted;
    }

    private static double jitter(Row row, int seconds) {
        return Math.floorMod(row.uid().hashCode() * 2654435761L, seconds * 1000L) / 1000.0;
    }

    private static String json(Row r) {
        return String.format(
                Locale.ROOT,
                "{\"ts\":%.6f,\"uid\":\"%s\",\"id.orig_h\":\"%s\",\"id.orig_p\":%d,"
                        + "\"id.resp_h\":\"%s\",\"id.resp_p\":%d,\"proto\":\"%s\",\"duration\":%.6f,\"orig_bytes\":%d,"
                        + "\"resp_bytes\":%d,\"conn_state\":\"%s\",\"local_orig\":%s,\"local_resp\":%s,\"missed_bytes\":0,"
                        + "\"history\":\"%s\",\"orig_pkts\":%d,\"orig_ip_bytes\":%d,\"resp_pkts\":%d,\"resp_ip_bytes\":%d}",
                r.ts(),
                r.uid(),
                r.orig(),
                r.origPort(),
                r.resp(),
                r.respPort(),
                r.proto(),
                r.duration(),
                r.origBytes(),
                r.respBytes(),
                r.state(),
                r.orig().startsWith("10."),
                r.resp().startsWith("10."),
                r.history(),
                r.origPkts(),
                r.origPkts() * 52 + r.origBytes(),
                r.respPkts(),
                r.respPkts() * 52 + r.respBytes());
    }
}
