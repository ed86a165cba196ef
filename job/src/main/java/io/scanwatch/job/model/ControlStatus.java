package io.scanwatch.job.model;

/** What became of one control record: accepted, or rejected with the reason (the running rules are kept). */
public class ControlStatus {
    public String version;
    /** The change's time, or {@link Long#MIN_VALUE} when it could not be read. */
    public long from;

    public boolean accepted;
    /** Why it was rejected; null when accepted. */
    public String reason;
    /** For an accepted change, what the operator may not have meant (keys the change before set): null if nothing. */
    public String note;
    /** Where the record was read: the file and line, or topic, partition and offset. */
    public String origin;

    public ControlStatus() {}

    public static ControlStatus accepted(ControlChange change, String note, String origin) {
        ControlStatus status = new ControlStatus();
        status.note = note;
        status.version = change.version;
        status.from = change.from;
        status.accepted = true;
        status.origin = origin;
        return status;
    }

    public static ControlStatus rejected(String version, long from, String reason, String origin) {
        ControlStatus status = new ControlStatus();
        status.version = version;
        status.from = from;
        status.reason = reason;
        status.origin = origin;
        return status;
    }

    @Override
    public String toString() {
        return (accepted ? "accepted " : "rejected ")
                + version
                + (reason == null ? "" : ": " + reason)
                + (note == null ? "" : " (" + note + ")");
    }
}
