package io.scanwatch.job.model;

import io.scanwatch.text.WellFormedText;
import java.util.Objects;

/** A record that could not be used, with what was wrong and where it came from, for the dead-letter output. */
public class DeadLetter {
    /** Raw text kept for an analyst; enough to see the problem, never a whole runaway line. */
    public static final int MAX_RAW_CHARS = 2048;

    public String format;
    public String reason;
    /** Where the record was read: {@code file:line}, or topic, partition and offset. */
    public String origin;

    public String raw;
    public boolean rawTruncated;

    public DeadLetter() {}

    public static DeadLetter of(String format, String reason, String origin, String raw) {
        DeadLetter letter = new DeadLetter();
        letter.format = format;
        letter.reason = WellFormedText.of(reason);
        letter.origin = WellFormedText.of(origin);
        letter.rawTruncated = raw != null && raw.length() > MAX_RAW_CHARS;
        letter.raw = WellFormedText.prefix(raw, MAX_RAW_CHARS);
        return letter;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return Objects.equals(format, d.format)
                && Objects.equals(reason, d.reason)
                && Objects.equals(origin, d.origin)
                && Objects.equals(raw, d.raw)
                && rawTruncated == d.rawTruncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, reason, origin);
    }

    @Override
    public String toString() {
        return origin + " [" + format + "] " + reason;
    }
}
