package io.scanwatch.parse.zeek;

/** The conn.log columns scanwatch uses; every other column is ignored. */
enum ZeekField {
    TS,
    ORIG_H,
    ORIG_P,
    RESP_H,
    RESP_P,
    PROTO,
    CONN_STATE,
    HISTORY,
    ORIG_BYTES,
    RESP_BYTES,
    ORIG_PKTS,
    RESP_PKTS;

    /** The values slot of a conn.log column, or -1 for a column scanwatch does not use. */
    static int slotOf(String name) {
        ZeekField field = byName(name);
        return field == null ? -1 : field.ordinal();
    }

    private static ZeekField byName(String name) {
        switch (name) {
            case "ts":
                return TS;
            case "id.orig_h":
                return ORIG_H;
            case "id.orig_p":
                return ORIG_P;
            case "id.resp_h":
                return RESP_H;
            case "id.resp_p":
                return RESP_P;
            case "proto":
                return PROTO;
            case "conn_state":
                return CONN_STATE;
            case "history":
                return HISTORY;
            case "orig_bytes":
                return ORIG_BYTES;
            case "resp_bytes":
                return RESP_BYTES;
            case "orig_pkts":
                return ORIG_PKTS;
            case "resp_pkts":
                return RESP_PKTS;
            default:
                return null;
        }
    }

    /** The name used in reasons, as an analyst reads it in the log. */
    String columnName() {
        switch (this) {
            case ORIG_H:
                return "id.orig_h";
            case ORIG_P:
                return "id.orig_p";
            case RESP_H:
                return "id.resp_h";
            case RESP_P:
                return "id.resp_p";
            default:
                return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
