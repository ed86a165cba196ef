package io.scanwatch.job.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A SYN flood with spoofed sources as Zeek writes it (TSV conn.log): every record from another external address,
 * one unanswered SYN each, all within one minute, at one internal web server. The worst case for per-source state.
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
                // 198.18.0.0/15 and onwards: distinct addresses, none internal.
                int address = 0xC6120000 + i;
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
