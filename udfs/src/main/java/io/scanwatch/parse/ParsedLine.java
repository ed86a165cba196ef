package io.scanwatch.parse;

import io.scanwatch.event.ConnectionEvent;

/**
 * What one input record became: an event, a record deliberately skipped (headers, event types not watched),
 * or a record rejected with the reason. Every record ends as exactly one of these, so nothing is lost silently.
 */
public final class ParsedLine {
    public enum Kind {
        EVENT,
        SKIPPED,
        REJECTED
    }

    private final Kind kind;
    private final ConnectionEvent connection;
    private final String reason;

    private ParsedLine(Kind kind, ConnectionEvent connection, String reason) {
        this.kind = kind;
        this.connection = connection;
        this.reason = reason;
    }

    public static ParsedLine event(ConnectionEvent connection) {
        return new ParsedLine(Kind.EVENT, connection, null);
    }

    public static ParsedLine skipped(String reason) {
        return new ParsedLine(Kind.SKIPPED, null, reason);
    }

    public static ParsedLine rejected(String reason) {
        return new ParsedLine(Kind.REJECTED, null, reason);
    }

    public Kind kind() {
        return kind;
    }

    public ConnectionEvent connection() {
        return connection;
    }

    /** Why the record was skipped or rejected; null for events. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.EVENT ? " " + connection : ": " + reason);
    }
}
