package io.scanwatch.job.pair;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.flow.OneWayFlows;
import org.apache.flink.api.java.functions.KeySelector;

/** Both directions of a TCP or UDP conversation share this key. */
public final class ConversationKey implements KeySelector<ConnectionEvent, String> {
    @Override
    public String getKey(ConnectionEvent event) {
        return OneWayFlows.conversation(event);
    }
}
