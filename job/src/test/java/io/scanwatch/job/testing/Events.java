package io.scanwatch.job.testing;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;

/** Builds connection events for operator tests: one line per event in the test reads like a log record. */
public final class Events {
    private Events() {}

    public static ConnectionEvent tcp(
            long timestamp, String source, String destination, int port, Outcome outcome, Direction direction) {
        ConnectionEvent event = new ConnectionEvent();
        event.timestamp = timestamp;
        event.sourceIp = source;
        event.sourcePort = 40000;
        event.destinationIp = destination;
        event.destinationPort = port;
        event.transport = Transport.TCP;
        event.outcome = outcome;
        event.direction = direction;
        event.format = "test";
        return event;
    }
}
