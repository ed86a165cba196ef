package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.net.IpAddress;

/**
 * What a detector keeps of a key it has seen once, or twice where no rule of the lanes fires on two: each probe in a
 * few dozen bytes. Most sources in a flood of spoofed addresses never send a second; a key that sends more is
 * promoted to full panes in each lane that takes the next.
 */
public class FirstProbe {
    public long timestamp;
    /** The probed host as two longs: a few bytes instead of a string per source. */
    public long hostHigh;

    public long hostLow;
    /** -1 for a transport without ports. */
    public int port;

    public Transport transport;
    public Outcome outcome;
    public Direction direction;
    /**
     * The detector's lanes that hold this probe (and the second, if kept) as their only events, bit {@code i} for its
     * {@code i}th: a lane that takes a further event turns them into panes, the others keep them compact.
     */
    public int lanes;

    public FirstProbe() {}

    public static FirstProbe of(ConnectionEvent event) {
        FirstProbe probe = new FirstProbe();
        probe.fill(event);
        return probe;
    }

    void fill(ConnectionEvent event) {
        timestamp = event.timestamp;
        IpAddress host = IpAddress.parse(event.destinationIp);
        hostHigh = host.high();
        hostLow = host.low();
        port = event.destinationPort;
        transport = event.transport;
        outcome = event.outcome;
        direction = event.direction;
    }

    /** The probe as an event, with what {@link WindowAggregate#add} may read. */
    public ConnectionEvent event() {
        ConnectionEvent event = new ConnectionEvent();
        event.timestamp = timestamp;
        event.destinationIp = IpAddress.of(hostHigh, hostLow).toString();
        event.destinationPort = port;
        event.transport = transport;
        event.outcome = outcome;
        event.direction = direction;
        return event;
    }
}
