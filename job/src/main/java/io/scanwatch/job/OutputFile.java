package io.scanwatch.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file or standard output that a replay writes JSON lines to. Opened before the job starts, so that a path that
 * cannot be written fails at once; its encoder replaces what UTF-8 cannot hold instead of throwing mid-replay.
 */
final class OutputFile {
    private OutputFile() {}

    static Writer open(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + ": is a directory, give a file name");
        }
        try {
            return writer(Files.newOutputStream(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot be written (" + e + ")");
        }
    }

    static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(
                out,
                StandardCharsets.UTF_8
                        .newEncoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }
}
