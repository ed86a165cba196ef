package io.scanwatch.event;

/** How addresses are written next to ports in evidence: {@code 10.0.0.1:22}, {@code [2001:db8::1]:22}. */
public final class IpText {
    private IpText() {}

    public static String withPort(String ip, int port) {
        if (port < 0) {
            return ip;
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ':' + port;
    }
}
