package io.scanwatch.parse.zeek;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;

/** Zeek conn.log, JSON lines or TSV ({@link ZeekLogReader}), into connection events. */
public final class ZeekConnParser implements LineParser {
    private final ZeekConnRecord record = new ZeekConnRecord();
    private final ZeekLogReader reader = new ZeekLogReader(ZeekField::slotOf);

    @Override
    public ParsedLine parseRecord(String line) {
        if (ZeekLogReader.isHeader(line)) {
            return reader.header(line);
        }
        String problem = reader.read(line, record.values);
        return problem != null ? ParsedLine.rejected(problem) : record.toParsedLine();
    }
}
