package io.scanwatch.parse.windows;

import java.util.Map;

/** One Windows event's fields, whichever shape carried them: flat (NXLog) or Winlogbeat's {@code winlog.*}. */
final class WindowsEvent {
    private static final String DATA = "winlog.event_data.";

    private final Map<String, String> fields;
    private final boolean winlogbeat;

    WindowsEvent(Map<String, String> fields) {
        this.fields = fields;
        this.winlogbeat = fields.containsKey("winlog.event_id") || fields.containsKey("winlog.channel");
    }

    String id() {
        return winlogbeat ? first("winlog.event_id", "event.code") : fields.get("EventID");
    }

    boolean isSysmon() {
        String channel = winlogbeat ? fields.get("winlog.channel") : fields.get("Channel");
        return channel != null && channel.toLowerCase(java.util.Locale.ROOT).contains("sysmon");
    }

    /** The host that logged the event. */
    String computer() {
        return winlogbeat ? first("winlog.computer_name", "host.name") : first("Hostname", "Computer");
    }

    /** A field of the event's data ({@code IpAddress}, {@code DestPort}, ...). */
    String data(String name) {
        return winlogbeat ? fields.get(DATA + name) : fields.get(name);
    }

    /** A field of the record itself ({@code @timestamp}). */
    String top(String name) {
        return fields.get(name);
    }

    private String first(String a, String b) {
        String value = fields.get(a);
        return value != null ? value : fields.get(b);
    }
}
