package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Transport;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.net.IpAddress;

/**
 * What a detector keeps of a source it has seen only once: the one probe, in a few dozen bytes. Most sources in
 * a flood of spoofed addresses never send a second; a source that does is promoted to full panes.
 */
public class FirstProbe {
    public long timestamp;
    /** The probed host as two longs: a few bytes instead of a string per source. */
    public long hostHigh;

    public long hostLow;
    /** -1 for a transport without ports. */
    public int port;

    public Transport transport;
    /** Whether the probed host is internal. */
    public boolean internal;

    public FirstProbe() {}

    public static FirstProbe of(ConnectionEvent event) {
        FirstProbe probe = new FirstProbe();
        probe.timestamp = event.timestamp;
        IpAddress host = IpAddress.parse(event.destinationIp);
        probe.hostHigh = host.high();
        probe.hostLow = host.low();
        probe.port = event.destinationPort;
        probe.transport = event.transport;
        probe.internal = event.direction != null && event.direction.destinationInternal();
        return probe;
    }

    /** The probed host in canonical form, as the parsers write it. */
    public String host() {
        return IpAddress.of(hostHigh, hostLow).toString();
    }

    ProbeTally tally(int cap) {
        String host = host();
        ProbeTally tally = new ProbeTally();
        tally.add(timestamp, host, port, ConnectionEvent.service(host, port, transport), internal, cap);
        return tally;
    }
}
