package io.scanwatch.job.source;

/**
 * Where the record being read came from: a file and line, or a topic, partition and offset. Described only when a
 * dead letter needs it, so that the records that parse, nearly all of them, build no position text.
 */
public interface RecordOrigin {
    String describe();
}
