package io.scanwatch.parse;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;

/**
 * What one input record became: a connection, an authentication, a record deliberately skipped (headers, event
 * types not watched), or a record rejected with the reason. Every record ends as exactly one of these, so nothing
 * is lost silently.
 */
public final class ParsedLine {
    public enum Kind {
        CONNECTION,
        AUTHENTICATION,
        SKIPPED,
        REJECTED
    }

    private final Kind kind;
    private final ConnectionEvent connection;
    private final AuthEvent authentication;
    private final String reason;
    private final String record;

    private ParsedLine(Kind kind, ConnectionEvent connection, AuthEvent authentication, String reason, String record) {
        this.kind = kind;
        this.connection = connection;
        this.authentication = authentication;
        this.reason = reason;
        this.record = record;
    }

    public static ParsedLine connection(ConnectionEvent connection) {
        return new ParsedLine(Kind.CONNECTION, connection, null, null, null);
    }

    public static ParsedLine authentication(AuthEvent authentication) {
        return new ParsedLine(Kind.AUTHENTICATION, null, authentication, null, null);
    }

    public static ParsedLine skipped(String reason) {
        return new ParsedLine(Kind.SKIPPED, null, null, reason, null);
    }

    public static ParsedLine rejected(String reason) {
        return new ParsedLine(Kind.REJECTED, null, null, reason, null);
    }

    /** A rejected record that spanned several lines: {@code record} is all of it, for the dead letter. */
    public static ParsedLine rejected(String reason, String record) {
        return new ParsedLine(Kind.REJECTED, null, null, reason, record);
    }

    public Kind kind() {
        return kind;
    }

    public ConnectionEvent connection() {
        return connection;
    }

    public AuthEvent authentication() {
        return authentication;
    }

    /** The whole rejected record where it was more than the last line read; null otherwise. */
    public String record() {
        return record;
    }

    /** Why the record was skipped or rejected; null for events. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        switch (kind) {
            case CONNECTION:
                return kind + " " + connection;
            case AUTHENTICATION:
                return kind + " " + authentication;
            default:
                return kind + ": " + reason;
        }
    }
}
