package io.scanwatch.sql;

import io.scanwatch.event.Outcome;
import io.scanwatch.event.ProbeLike;
import io.scanwatch.event.Transport;
import java.util.Locale;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code is_probe(outcome, transport)}: whether a connection (its outcome and transport as {@code parse_telemetry}
 * gives them) looks like a probe rather than a used service, as the network-scan rule counts by default
 * ({@link ProbeLike#attempt}: any ICMP request, no other IP protocol, else unanswered, rejected, aborted or unknown).
 * {@code is_probe(outcome)} judges by the outcome alone, as if every connection were TCP or UDP.
 */
public class IsProbe extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    public Boolean eval(String outcome) {
        return eval(outcome, Transport.TCP.name());
    }

    public Boolean eval(String outcome, String transport) {
        if (outcome == null || transport == null) {
            return null;
        }
        try {
            return ProbeLike.attempt(
                    Outcome.valueOf(outcome.trim().toUpperCase(Locale.ROOT)),
                    Transport.valueOf(transport.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
