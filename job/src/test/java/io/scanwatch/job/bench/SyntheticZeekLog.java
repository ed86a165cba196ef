package io.scanwatch.job.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A large Zeek conn.log (JSON lines) for throughput runs: mostly used connections from many clients, with scanners
 * sweeping and port-scanning among them, at a steady event rate so windows and timers work as in production.
 */
final class SyntheticZeekLog {
    private static final long START_MILLIS = 1_772_442_000_000L;

    private SyntheticZeekLog() {}

    /**
     * @param eventsPerSecond event-time rate: how many records share one second of the capture
     */
    static void write(Path file, long events, int eventsPerSecond, long seed) throws IOException {
        Random random = new Random(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < events; i++) {
                long ts = START_MILLIS + i * 1000 / eventsPerSecond;
                boolean probe = random.nextInt(10) == 0;
                String orig;
                String resp;
                int port;
                String state;
                String history;
                int origBytes;
                int respBytes;
                if (probe) {
                    int scanner = random.nextInt(200);
                    orig = "198.51." + (scanner >> 8) + "." + (scanner & 255);
                    resp = "10.20." + random.nextInt(16) + "." + random.nextInt(256);
                    port = scanner % 4 == 0 ? 1 + random.nextInt(1024) : 22;
                    boolean refused = random.nextBoolean();
                    state = refused ? "REJ" : "S0";
                    history = refused ? "Sr" : "S";
                    origBytes = 0;
                    respBytes = 0;
                } else {
                    int client = random.nextInt(5000);
                    orig = "10.20." + (client >> 8) + "." + (client & 255);
                    resp = "203.0.113." + random.nextInt(256);
                    port = random.nextBoolean() ? 443 : 80;
                    state = "SF";
                    history = "ShADadFf";
                    origBytes = 200 + random.nextInt(2000);
                    respBytes = 1000 + random.nextInt(60000);
                }
                out.write(String.format(
                        Locale.ROOT,
                        "{\"ts\":%d.%03d,\"uid\":\"C%d\",\"id.orig_h\":\"%s\",\"id.orig_p\":%d,"
                                + "\"id.resp_h\":\"%s\",\"id.resp_p\":%d,\"proto\":\"tcp\",\"duration\":0.5,\"orig_bytes\":%d,"
                                + "\"resp_bytes\":%d,\"conn_state\":\"%s\",\"missed_bytes\":0,\"history\":\"%s\",\"orig_pkts\":4,"
                                + "\"orig_ip_bytes\":%d,\"resp_pkts\":4,\"resp_ip_bytes\":%d}\n",
                        ts / 1000,
                        ts % 1000,
                        i,
                        orig,
                        32768 + random.nextInt(28000),
                        resp,
                        port,
                        origBytes,
                        respBytes,
                        state,
                        history,
                        origBytes + 208,
                        respBytes + 208));
            }
        }
    }
}
