package io.scanwatch.job.model;

/** Port numbers as map keys without allocating a string per event. */
final class PortText {
    private static final String[] TEXT = new String[65536];

    private PortText() {}

    static String of(int port) {
        String text = TEXT[port];
        if (text == null) {
            text = Integer.toString(port);
            TEXT[port] = text;
        }
        return text;
    }
}
