package io.scanwatch.job.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Zeek conn.log lines for tests that produce live-looking traffic to Kafka. */
public final class ZeekLines {
    private ZeekLines() {}

    /**
     * One TCP connection at {@code atMillis}: a used one (handshake, data both ways, close) or, if not used, an
     * unanswered SYN.
     */
    public static String connection(long atMillis, String orig, String resp, int port, boolean used) {
        return String.format(
                Locale.ROOT,
                "{\"ts\":%d.%03d,\"id.orig_h\":\"%s\",\"id.orig_p\":%d,\"id.resp_h\":\"%s\",\"id.resp_p\":%d,"
                        + "\"proto\":\"tcp\",\"conn_state\":\"%s\",\"history\":\"%s\",\"orig_bytes\":%d,"
                        + "\"resp_bytes\":%d}",
                atMillis / 1000,
                atMillis % 1000,
                orig,
                40000 + (int) (atMillis % 20000),
                resp,
                port,
                used ? "SF" : "S0",
                used ? "ShADadFf" : "S",
                used ? 400 : 0,
                used ? 9000 : 0);
    }

    /** A client's used connections every ten seconds from {@code fromMillis} to {@code toMillis}: steady traffic. */
    public static List<String> steadyTraffic(long fromMillis, long toMillis) {
        List<String> lines = new ArrayList<>();
        for (long at = fromMillis; at <= toMillis; at += 10_000) {
            lines.add(connection(at, "10.0.1.5", "203.0.113.20", 443, true));
        }
        return lines;
    }

    /** A sweep of port 22 over 10.0.9.1-30, a host a second from {@code fromMillis} + 1 s, none answering. */
    public static List<String> sshSweep(long fromMillis, String scanner) {
        List<String> lines = new ArrayList<>();
        for (int host = 1; host <= 30; host++) {
            lines.add(connection(fromMillis + host * 1_000, scanner, "10.0.9." + host, 22, false));
        }
        return lines;
    }

    /** A Zeek ssh.log record: {@code attempts} password guesses from {@code orig} at {@code resp}, and whether one worked. */
    public static String sshLogon(long atMillis, String orig, String resp, int attempts, boolean success) {
        return String.format(
                Locale.ROOT,
                "{\"ts\":%d.%03d,\"id.orig_h\":\"%s\",\"id.orig_p\":%d,\"id.resp_h\":\"%s\",\"id.resp_p\":22,"
                        + "\"version\":2,\"auth_attempts\":%d,\"auth_success\":%s,\"direction\":\"INBOUND\"}",
                atMillis / 1000,
                atMillis % 1000,
                orig,
                40000 + (int) (atMillis % 20000),
                resp,
                attempts,
                success);
    }

    /**
     * Two used connections two hours after the bundled edge capture, one per partition of a two-partition topic:
     * the watermark passes the capture's windows, as newer traffic would on a live topic.
     */
    public static List<String> afterTheEdgeCapture() {
        long later = Instant.parse("2026-03-02T11:30:00Z").toEpochMilli();
        return List.of(
                connection(later, "10.99.0.1", "203.0.113.9", 443, true),
                connection(later, "10.99.0.2", "203.0.113.9", 443, true));
    }

    /**
     * A Zeek TSV line (a row, or its {@code #fields} or {@code #types} header) with two columns swapped: a log whose
     * columns come in another order. A row cut short, without them, is left as it is.
     */
    public static String swapped(String line, int a, int b) {
        String[] columns = line.split("\t", -1);
        if (columns.length <= Math.max(a, b)) {
            return line;
        }
        String kept = columns[a];
        columns[a] = columns[b];
        columns[b] = kept;
        return String.join("\t", columns);
    }
}
