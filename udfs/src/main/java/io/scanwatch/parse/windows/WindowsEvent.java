package io.scanwatch.parse.windows;

import java.util.Locale;
import java.util.Map;

/** One Windows event's fields, whichever shape carried them: flat (NXLog) or Winlogbeat's {@code winlog.*}. */
final class WindowsEvent {
    private static final String DATA = "winlog.event_data.";

    /**
     * Where Winlogbeat's Sysmon module (its default {@code winlogbeat-sysmon.js}) moves a NetworkConnect's data: to
     * ECS fields, removing them from {@code winlog.event_data}.
     */
    private static final Map<String, String> SYSMON_MODULE = Map.of(
            "SourceIp", "source.ip",
            "SourcePort", "source.port",
            "DestinationIp", "destination.ip",
            "DestinationPort", "destination.port",
            "Protocol", "network.transport");

    private final Map<String, String> fields;
    private final boolean winlogbeat;

    WindowsEvent(Map<String, String> fields) {
        this.fields = fields;
        this.winlogbeat = fields.keySet().stream().anyMatch(name -> name.startsWith("winlog."));
    }

    String id() {
        return winlogbeat ? first("winlog.event_id", "event.code") : fields.get("EventID");
    }

    boolean isSysmon() {
        String channel =
                winlogbeat ? first("winlog.channel", "winlog.provider_name", "event.provider") : fields.get("Channel");
        return channel != null && channel.toLowerCase(Locale.ROOT).contains("sysmon");
    }

    /** The host that logged the event. */
    String computer() {
        return winlogbeat ? first("winlog.computer_name", "host.name") : first("Hostname", "Computer");
    }

    /** A field of the event's data ({@code IpAddress}, {@code DestPort}, ...). */
    String data(String name) {
        if (!winlogbeat) {
            return fields.get(name);
        }
        String value = fields.get(DATA + name);
        if (value != null) {
            return value;
        }
        if (name.equals("Initiated")) {
            // The Sysmon module keeps it as the ECS direction of the connection.
            String direction = fields.getOrDefault("network.direction", "").toLowerCase(Locale.ROOT);
            return switch (direction) {
                case "egress", "outbound" -> "true";
                case "ingress", "inbound" -> "false";
                default -> null;
            };
        }
        String moved = SYSMON_MODULE.get(name);
        return moved == null ? null : fields.get(moved);
    }

    /** A field of the record itself ({@code @timestamp}). */
    String top(String name) {
        return fields.get(name);
    }

    /** The first of the named fields the record has. */
    private String first(String... names) {
        for (String name : names) {
            String value = fields.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
