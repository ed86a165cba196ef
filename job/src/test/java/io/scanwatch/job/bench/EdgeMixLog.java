package io.scanwatch.job.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A Zeek conn.log (JSON lines) as an enterprise edge writes it, for the throughput runs of #11: 93 % used
 * connections from some 260,000 internal clients (30 % of them DNS to the resolver, the rest web to servers all
 * over the Internet), 7 % probes: sweeps of SSH, SMB and RDP by 40 sources (45 %), port scans of a few hosts by
 * 20 (30 %), block scans by 5 (10 %) and 200 slow scanners spread thin over 16,000 hosts and every port (15 %).
 * Seeded: every run writes the same file.
 */
final class EdgeMixLog {
    /** The benches' seed: every run of every bench replays the same file. */
    static final long SEED = 11;

    private static final double START_SECONDS = 1_772_442_000.0;
    /** An edge's rate: the mix spans 42 minutes per 5M records. */
    private static final double EDGE_RATE = 2_000.0;

    private EdgeMixLog() {}

    /** The mix as a file of its own, to time replays of it by hand: the benches' seed, so the benches' file. */
    public static void main(String[] args) throws IOException {
        record Options(Path file, long events) {}
        Options options = BenchArguments.read(
                "EdgeMixLog file [records, 1 to 50,000,000; 2000000]",
                2,
                args,
                arguments -> new Options(
                        Path.of(arguments.required(0, "the file")),
                        arguments.number(1, "records", 2_000_000, 1, 50_000_000)));
        write(options.file(), options.events(), SEED);
        System.out.printf(
                Locale.ROOT,
                "%s: %,d records, %,d bytes%n",
                options.file(),
                options.events(),
                Files.size(options.file()));
    }

    static void write(Path file, long events, long seed) throws IOException {
        write(file, events, seed, EDGE_RATE);
    }

    /** The same mix at {@code eventsPerSecond}: a lower rate spreads it over more hours, and every scanner is slower. */
    static void write(Path file, long events, long seed, double eventsPerSecond) throws IOException {
        Random random = new Random(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < events; i++) {
                double ts = START_SECONDS + i / eventsPerSecond;
                if (random.nextDouble() < 0.93) {
                    String client =
                            "10." + (20 + random.nextInt(4)) + "." + random.nextInt(256) + "." + random.nextInt(256);
                    if (random.nextDouble() < 0.3) {
                        line(out, random, ts, client, "10.0.0.53", 53, "udp", "SF", "Dd", 40, 120);
                    } else {
                        String server = (1 + random.nextInt(222)) + "." + random.nextInt(256) + "."
                                + random.nextInt(256) + "." + (1 + random.nextInt(254));
                        int[] ports = {443, 443, 443, 80, 8443};
                        line(
                                out,
                                random,
                                ts,
                                client,
                                server,
                                ports[random.nextInt(ports.length)],
                                "tcp",
                                "SF",
                                "ShADadFf",
                                200 + random.nextInt(2800),
                                1000 + random.nextInt(89_000));
                    }
                } else {
                    double kind = random.nextDouble();
                    String source;
                    String target;
                    int port;
                    if (kind < 0.45) {
                        source = "198.51.100." + (1 + random.nextInt(40));
                        target = "10.20." + random.nextInt(16) + "." + random.nextInt(256);
                        port = new int[] {22, 445, 3389}[random.nextInt(3)];
                    } else if (kind < 0.75) {
                        source = "203.0.113." + (1 + random.nextInt(20));
                        target = "10.30.1." + random.nextInt(8);
                        port = 1 + random.nextInt(9_999);
                    } else if (kind < 0.85) {
                        source = "192.0.2." + (1 + random.nextInt(5));
                        target = "10.40." + random.nextInt(4) + "." + random.nextInt(256);
                        port = 1 + random.nextInt(1_999);
                    } else {
                        int slow = random.nextInt(200);
                        source = "198.18." + (slow >> 8) + "." + (slow & 255);
                        target = "10.50." + random.nextInt(64) + "." + random.nextInt(256);
                        port = 1 + random.nextInt(65_534);
                    }
                    boolean refused = random.nextBoolean();
                    line(
                            out,
                            random,
                            ts,
                            source,
                            target,
                            port,
                            "tcp",
                            refused ? "REJ" : "S0",
                            refused ? "Sr" : "S",
                            0,
                            0);
                }
            }
        }
    }

    private static void line(
            BufferedWriter out,
            Random random,
            double ts,
            String orig,
            String resp,
            int port,
            String proto,
            String state,
            String history,
            int origBytes,
            int respBytes)
            throws IOException {
        out.write(String.format(
                Locale.ROOT,
                "{\"ts\":%.6f,\"uid\":\"C%x\",\"id.orig_h\":\"%s\",\"id.orig_p\":%d,\"id.resp_h\":\"%s\","
                        + "\"id.resp_p\":%d,\"proto\":\"%s\",\"duration\":0.5,\"orig_bytes\":%d,\"resp_bytes\":%d,"
                        + "\"conn_state\":\"%s\",\"local_orig\":true,\"local_resp\":false,\"missed_bytes\":0,"
                        + "\"history\":\"%s\",\"orig_pkts\":4,\"orig_ip_bytes\":%d,\"resp_pkts\":4,"
                        + "\"resp_ip_bytes\":%d}\n",
                ts,
                random.nextLong() >>> 24,
                orig,
                1024 + random.nextInt(64_511),
                resp,
                port,
                proto,
                origBytes,
                respBytes,
                state,
                history,
                origBytes + 208,
                respBytes + 208));
    }
}
