package io.scanwatch.job.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * One fast scanner as Zeek writes it (TSV conn.log): unanswered SYNs to random hosts of 10.0.0.0/8 on random
 * ports, far more distinct targets than any cap keeps. Seeded, so every run writes the same file.
 */
public final class BlockScan {
    public static final String SCANNER = "203.0.113.66";
    private static final long START_SECONDS = 1_772_442_000L;

    private BlockScan() {}

    /** @return the distinct hosts of each minute */
    public static int[] write(Path file, int probesPerMinute, int minutes, long seed) throws IOException {
        Random random = new Random(seed);
        int[] distinctHosts = new int[minutes];
        try (BufferedWriter out = start(file)) {
            StringBuilder line = new StringBuilder(96);
            for (int minute = 0; minute < minutes; minute++) {
                Set<Integer> hosts = new HashSet<>();
                for (int i = 0; i < probesPerMinute; i++) {
                    int host = random.nextInt(1 << 24);
                    hosts.add(host);
                    probe(out, line, minute, i, probesPerMinute, host, 1 + random.nextInt(65535));
                }
                distinctHosts[minute] = hosts.size();
            }
        }
        return distinctHosts;
    }

    /** A sweep of {@code probes} distinct hosts of 10.0.0.0/8 (every host once, in a scrambled order), one port. */
    public static void writeSweep(Path file, int probes, int minutes) throws IOException {
        int perMinute = (probes + minutes - 1) / minutes;
        try (BufferedWriter out = start(file)) {
            StringBuilder line = new StringBuilder(96);
            for (int i = 0; i < probes; i++) {
                // An odd multiplier permutes the 24-bit host numbers, as masscan's scrambled order does.
                int host = (int) ((i * 0x9E3779B1L) & 0xFFFFFF);
                probe(out, line, i / perMinute, i % perMinute, perMinute, host, 445);
            }
        }
    }

    private static BufferedWriter start(Path file) throws IOException {
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("#separator \\x09\n#path\tconn\n");
        out.write("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration"
                + "\torig_bytes\tresp_bytes\tconn_state\thistory\n");
        return out;
    }

    private static void probe(
            BufferedWriter out, StringBuilder line, int minute, int i, int perMinute, int host, int port)
            throws IOException {
        long micros = (minute * 60_000_000L) + i * (60_000_000L / perMinute);
        long fraction = micros % 1_000_000;
        line.setLength(0);
        line.append(START_SECONDS + micros / 1_000_000).append('.');
        for (long digit = 100_000; digit > 1 && fraction < digit; digit /= 10) {
            line.append('0');
        }
        line.append(fraction)
                .append("\tB")
                .append(i)
                .append('\t')
                .append(SCANNER)
                .append('\t')
                .append(40000 + i % 20000)
                .append("\t10.")
                .append(host >> 16)
                .append('.')
                .append((host >> 8) & 255)
                .append('.')
                .append(host & 255)
                .append('\t')
                .append(port)
                .append("\ttcp\t-\t-\t0\t0\tS0\tS\n");
        out.append(line);
    }
}
