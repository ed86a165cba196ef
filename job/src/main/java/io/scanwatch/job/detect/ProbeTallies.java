package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.model.ProbeTally;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The aggregate of the threshold rules: attempts and capped distinct hosts, services and ports. */
public final class ProbeTallies implements WindowAggregate<ProbeTally> {
    private static final long serialVersionUID = 1L;

    private final int distinctCap;

    public ProbeTallies(int distinctCap) {
        this.distinctCap = distinctCap;
    }

    @Override
    public ProbeTally create() {
        return new ProbeTally();
    }

    @Override
    public void add(ProbeTally tally, ConnectionEvent event) {
        tally.add(event, distinctCap);
    }

    @Override
    public void merge(ProbeTally into, ProbeTally other) {
        into.addAll(other, distinctCap);
    }

    @Override
    public ProbeTally copy(ProbeTally tally) {
        return tally.copy();
    }

    @Override
    public long events(ProbeTally tally) {
        return tally.attempts;
    }

    @Override
    public TypeInformation<ProbeTally> type() {
        return TypeInformation.of(ProbeTally.class);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProbeTallies tallies && tallies.distinctCap == distinctCap;
    }

    @Override
    public int hashCode() {
        return distinctCap;
    }
}
