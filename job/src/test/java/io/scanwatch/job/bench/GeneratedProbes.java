package io.scanwatch.job.bench;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Probe events made from a sequence number, without parsing, to measure detectors alone. An edge's mix: a few
 * hundred busy scanners send most probes, tens of thousands of background sources send a handful each.
 */
final class GeneratedProbes implements MapFunction<Long, ConnectionEvent> {
    static final long START_MILLIS = 1_772_442_000_000L;

    private final long half;
    private final int eventsPerSecond;

    /** @param events how many the sequence holds; its two halves run in parallel and cover the same event time */
    GeneratedProbes(long events, int eventsPerSecond) {
        this.half = Math.max(1, events / 2);
        this.eventsPerSecond = eventsPerSecond;
    }

    @Override
    public ConnectionEvent map(Long index) {
        long i = index % half;
        long mix = (i * 0x9E3779B97F4A7C15L) >>> 1;
        ConnectionEvent event = new ConnectionEvent();
        event.timestamp = START_MILLIS + i * 1000 / eventsPerSecond;
        boolean busy = mix % 10 < 8;
        int source = busy ? (int) (mix >>> 8) % 300 : (int) (mix >>> 8) % 30_000;
        event.sourceIp = (busy ? "198.51." : "203.") + (busy ? "" : (source >> 16) + ".") + ((source >> 8) & 255) + "."
                + (source & 255);
        event.destinationIp = "10.20." + ((mix >>> 20) & 255) + "." + ((mix >>> 28) & 255);
        event.destinationPort = source % 3 == 0 ? 1 + (int) ((mix >>> 36) % 1024) : 22;
        event.sourcePort = 40000;
        event.transport = Transport.TCP;
        event.outcome = (mix & 1) == 0 ? Outcome.UNANSWERED : Outcome.REJECTED;
        event.direction = Direction.EXTERNAL_INTERNAL;
        event.format = "generated";
        return event;
    }
}
