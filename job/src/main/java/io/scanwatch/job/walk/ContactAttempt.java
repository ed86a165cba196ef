package io.scanwatch.job.walk;

import io.scanwatch.event.ConnectionEvent;
import java.util.Comparator;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * One TCP attempt with a known outcome, cut to what the walk reads. Every attempt the walk watches crosses the
 * network to it and waits in its state until the watermark passes them (a client's, until its next attempt after that or the
 * end of its quiet period), so a whole connection record would be sent and kept for fields the walk never reads.
 * Flink writes it with {@link ContactAttemptSerializer}.
 */
@TypeInfo(ContactAttemptType.class)
public class ContactAttempt implements Cloneable {
    public static final TypeInformation<ContactAttempt> TYPE = TypeInformation.of(ContactAttempt.class);

    /**
     * The order the walk takes attempts in: {@link ConnectionEvent#ORDER}'s up to the host's port. Beyond it (one
     * attempt seen by two sensors, say), whole records broke ties by flags and counters; here a success comes first,
     * so that a host one sensor saw answer is not counted as a failed first contact.
     */
    static final Comparator<ContactAttempt> ORDER = Comparator.comparingLong((ContactAttempt a) -> a.timestamp)
            .thenComparingInt(a -> a.sourcePort)
            .thenComparing(a -> a.destinationIp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(a -> a.destinationPort)
            .thenComparing(a -> !a.success)
            .thenComparing(a -> a.destinationInternal);

    public long timestamp;
    public String sourceIp;
    public int sourcePort;
    /** As the record gave it: the walk's record of contacted hosts hashes this text. */
    public String destinationIp;

    public int destinationPort;
    /** The attempt reached a listening service (completed, or aborted after the handshake). */
    public boolean success;

    public boolean destinationInternal;

    public ContactAttempt() {}

    /** Every field is a value or an immutable string: a shallow copy is a whole one. */
    ContactAttempt copy() {
        try {
            return (ContactAttempt) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("a contact attempt is cloneable", e);
        }
    }

    static ContactAttempt of(ConnectionEvent event) {
        ContactAttempt attempt = new ContactAttempt();
        attempt.timestamp = event.timestamp;
        attempt.sourceIp = event.sourceIp;
        attempt.sourcePort = event.sourcePort;
        attempt.destinationIp = event.destinationIp;
        attempt.destinationPort = event.destinationPort;
        attempt.success = TrwScan.outcome(event);
        attempt.destinationInternal = event.direction != null && event.direction.destinationInternal();
        return attempt;
    }
}
