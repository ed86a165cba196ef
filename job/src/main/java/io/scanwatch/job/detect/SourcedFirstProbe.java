package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.net.IpAddress;

/**
 * A first probe with its source, for rules keyed by something other than the source (a network): a flood of
 * spoofed sources spread over as many networks costs each network a few dozen bytes, not a pane.
 */
public class SourcedFirstProbe extends FirstProbe {
    public long sourceHigh;
    public long sourceLow;

    public SourcedFirstProbe() {}

    public static SourcedFirstProbe of(ConnectionEvent event) {
        SourcedFirstProbe probe = new SourcedFirstProbe();
        probe.fill(event);
        IpAddress source = IpAddress.parse(event.sourceIp);
        probe.sourceHigh = source.high();
        probe.sourceLow = source.low();
        return probe;
    }

    @Override
    public ConnectionEvent event() {
        ConnectionEvent event = super.event();
        event.sourceIp = IpAddress.of(sourceHigh, sourceLow).toString();
        return event;
    }
}
