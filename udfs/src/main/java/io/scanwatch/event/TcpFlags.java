package io.scanwatch.event;

/** TCP header flags as the bits NetFlow, IPFIX and Suricata use. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private TcpFlags() {}

    public static boolean has(int flags, int flag) {
        return flags >= 0 && (flags & flag) != 0;
    }
}
