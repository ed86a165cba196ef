package io.scanwatch.job.model;

/** One control record as read, before it is checked: its text, where it came from and when it was written. */
public class ControlRecord {
    public String text;
    /** The file, or topic, partition and offset. */
    public String origin;
    /** The Kafka record's time; {@link Long#MIN_VALUE} for a file line. */
    public long written;
    /** Where in the topic; -1 for a file line. */
    public int partition = -1;

    public long offset = -1;

    public ControlRecord() {}

    public static ControlRecord of(String text, String origin, long written) {
        ControlRecord record = new ControlRecord();
        record.text = text;
        record.origin = origin;
        record.written = written;
        return record;
    }
}
