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
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("#separator \\x09\n#path\tconn\n");
            out.write("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration"
                    + "\torig_bytes\tresp_bytes\tconn_state\thistory\n");
            for (int minute = 0; minute < minutes; minute++) {
                Set<Integer> hosts = new HashSet<>();
                for (int i = 0; i < probesPerMinute; i++) {
                    int host = random.nextInt(1 << 24);
                    hosts.add(host);
                    long micros = (minute * 60_000_000L) + i * (60_000_000L / probesPerMinute);
                    out.write(String.format(
                            "%d.%06d\tB%d\t%s\t%d\t10.%d.%d.%d\t%d\ttcp\t-\t-\t0\t0\tS0\tS%n",
                            START_SECONDS + micros / 1_000_000,
                            micros % 1_000_000,
                            i,
                            SCANNER,
                            40000 + i % 20000,
                            host >> 16,
                            (host >> 8) & 255,
                            host & 255,
                            1 + random.nextInt(65535)));
                }
                distinctHosts[minute] = hosts.size();
            }
        }
        return distinctHosts;
    }
}
