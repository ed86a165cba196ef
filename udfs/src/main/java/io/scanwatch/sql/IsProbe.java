package io.scanwatch.sql;

import io.scanwatch.event.Outcome;
import java.util.Locale;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code is_probe(outcome)}: whether a connection's outcome (as {@code parse_telemetry} gives it) is what a probe
 * leaves — unanswered, rejected, aborted or unknown — rather than a used service. The network-scan rule counts
 * these by default.
 */
public class IsProbe extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    public Boolean eval(String outcome) {
        if (outcome == null) {
            return null;
        }
        try {
            return Outcome.valueOf(outcome.trim().toUpperCase(Locale.ROOT)) != Outcome.COMPLETED;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
