package io.scanwatch.parse.zeek;

import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;

/** Zeek conn.log, JSON lines or TSV ({@link ZeekLogReader}), into connection events. */
public final class ZeekConnParser implements LineParser {
    private final ZeekConnRecord record = new ZeekConnRecord();
    private final ZeekLogReader reader = new ZeekLogReader(ZeekField::slotOf);

    /**
     * A JSON line read as bytes; anything it does not take as read (a TSV row or header, a refused line, bytes that
     * are not UTF-8) is decoded and parsed as text, so that every verdict and reason is that of its text.
     */
    @Override
    public ParsedLine parse(byte[] utf8, int length) {
        if (length > 0 && utf8[0] == '{' && reader.readJson(utf8, length, record.values)) {
            ParsedLine parsed = record.toParsedLine();
            if (parsed.kind() != ParsedLine.Kind.REJECTED) {
                return parsed;
            }
        }
        return LineParser.super.parse(utf8, length);
    }

    @Override
    public boolean awaitsHeader() {
        return reader.awaitsHeader();
    }

    @Override
    public ParsedLine parseRecord(String line) {
        if (ZeekLogReader.isHeader(line)) {
            return reader.header(line);
        }
        String problem = reader.read(line, record.values);
        return problem != null ? ParsedLine.rejected(problem) : record.toParsedLine();
    }
}
