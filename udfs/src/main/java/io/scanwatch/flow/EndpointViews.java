package io.scanwatch.flow;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.parse.windows.WindowsEventParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Windows writes one connection where each of its hosts allows it: the initiator's filtering platform (5156
 * outbound), the responder's (5156 inbound), and Sysmon on either (event 3), each from initiator to responder and
 * each stamped by its own host, seconds apart; a blocked SYN is written again at every retransmission (5157). Counted
 * as they come, one connection is up to four attempts, and a workstation's chatter with its domain controller passes
 * "more than 100 attempts". Read together, the views of one connection are one attempt.
 */
public final class EndpointViews {
    private EndpointViews() {}

    /** Whether the record is a host's own view of a connection, which other hosts and loggers may write too. */
    public static boolean merges(ConnectionEvent event) {
        return !event.oneWay && WindowsEventParser.FORMAT.equals(event.format);
    }

    /**
     * Merges the views of one conversation ({@link OneWayFlows#conversation}) that fall within one wait: one event
     * per initiating endpoint, whatever order the views came in. The earliest view gives the time and the sensor,
     * a blocked view (5157) the outcome, and its sensor state lists what each logger wrote.
     *
     * @return one event per connection
     */
    public static List<ConnectionEvent> merge(Collection<ConnectionEvent> views) {
        List<ConnectionEvent> sorted = new ArrayList<>(views);
        sorted.sort(ConnectionEvent.ORDER);
        Map<String, List<ConnectionEvent>> byInitiator = new LinkedHashMap<>();
        for (ConnectionEvent view : sorted) {
            byInitiator
                    .computeIfAbsent(view.sourceIp + ' ' + view.sourcePort, k -> new ArrayList<>())
                    .add(view);
        }
        List<ConnectionEvent> events = new ArrayList<>();
        for (List<ConnectionEvent> connection : byInitiator.values()) {
            ConnectionEvent event = connection.get(0).copy();
            TreeSet<String> states = new TreeSet<>();
            for (ConnectionEvent view : connection) {
                if (view.outcome == Outcome.REJECTED) {
                    event.outcome = Outcome.REJECTED;
                }
                if (view.sensorState != null) {
                    states.add(view.sensorState);
                }
            }
            event.sensorState = states.isEmpty() ? null : String.join(" / ", states);
            events.add(event);
        }
        return events;
    }
}
