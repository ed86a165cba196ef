package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import java.io.Serializable;

/** Which connection events a detector looks at: routing drops those no detector wants before the shuffle. */
public interface EventSelector extends Serializable {
    boolean accepts(ConnectionEvent event);
}
