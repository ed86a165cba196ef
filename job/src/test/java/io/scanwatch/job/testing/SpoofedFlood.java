package io.scanwatch.job.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A SYN flood with spoofed sources as Zeek writes it (TSV conn.log): every record from another external address,
 * almost every one in a /24 of its own, one unanswered SYN each, all within one minute, at one internal web
 * server. The worst case for state per source and per source network.
 */
public final class SpoofedFlood {
    private static final long START_SECONDS = 1_772_442_000L;

    private SpoofedFlood() {}

    public static void write(Path file, int sources) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("#separator \\x09\n#path\tconn\n");
            out.write("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration"
                    + "\torig_bytes\tresp_bytes\tconn_state\thistory\n");
            for (int i = 0; i < sources; i++) {
                // Scattered as spoofing tools pick them: each source in a /24 of its own, none internal.
                int address = ((100 + i % 100) << 24) | (int) ((i * 0x9E3779B1L) & 0xFFFFFF);
                long micros = i * 60_000_000L / sources;
                out.write(String.format(
                        "%d.%06d\tC%d\t%d.%d.%d.%d\t%d\t10.20.0.80\t80\ttcp\t-\t-\t0\t0\tS0\tS%n",
                        START_SECONDS + micros / 1_000_000,
                        micros % 1_000_000,
                        i,
                        address >>> 24,
                        (address >> 16) & 255,
                        (address >> 8) & 255,
                        address & 255,
                        1024 + i % 60000));
            }
        }
    }
}
