package io.scanwatch.parse.zeek;

import java.util.HashMap;
import java.util.Map;

/** The conn.log columns scanwatch uses, and the log's name; every other column is ignored. */
enum ZeekField {
    TS("ts"),
    ORIG_H("id.orig_h"),
    ORIG_P("id.orig_p"),
    RESP_H("id.resp_h"),
    RESP_P("id.resp_p"),
    PROTO("proto"),
    CONN_STATE("conn_state"),
    HISTORY("history"),
    ORIG_BYTES("orig_bytes"),
    RESP_BYTES("resp_bytes"),
    ORIG_PKTS("orig_pkts"),
    RESP_PKTS("resp_pkts"),
    /** Which log a line is of: JSON lines streamed from Zeek carry it, a TSV file's {@code #path} header says it. */
    PATH(ZeekTsvLayout.PATH);

    /** Held, not derived: a record's checks pass it for their reasons, several times per record. */
    private final String columnName;

    ZeekField(String columnName) {
        this.columnName = columnName;
    }

    private static final Map<String, ZeekField> BY_NAME = new HashMap<>();

    static {
        for (ZeekField field : values()) {
            BY_NAME.put(field.columnName, field);
        }
    }

    /** The values slot of a conn.log column, or -1 for a column scanwatch does not use. */
    static int slotOf(String name) {
        ZeekField field = BY_NAME.get(name);
        return field == null ? -1 : field.ordinal();
    }

    /** The name used in reasons, as an analyst reads it in the log. */
    String columnName() {
        return columnName;
    }
}
