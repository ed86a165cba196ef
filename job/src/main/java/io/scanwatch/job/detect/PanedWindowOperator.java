package io.scanwatch.job.detect;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.Detection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs a {@link PanedWindowDetector} with the control changes as its broadcast input, and tells it, once its state
 * is restored, how many sources that state holds, so that its {@code sources.tracked} gauge is right after a
 * restart or a rescale as well.
 */
public final class PanedWindowOperator
        extends CoBroadcastWithKeyedOperator<String, ConnectionEvent, ControlChange, Detection> {
    private static final long serialVersionUID = 1L;

    public PanedWindowOperator(PanedWindowDetector detector) {
        super(detector, List.of(ControlTimeline.CHANGES));
    }

    @Override
    public void open() throws Exception {
        super.open();
        KeyedStateBackend<String> state = getKeyedStateBackend();
        PanedWindowDetector detector = (PanedWindowDetector) getUserFunction();
        try (Stream<String> sources = state.getKeys(detector.stateNames(), VoidNamespace.INSTANCE)) {
            detector.restoredSources(sources.distinct().count());
        }
    }
}
