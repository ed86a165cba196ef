package io.scanwatch.job.source;

/**
 * Tells a file that is not text by its first bytes. Read as lines, such a file gives a dead letter for each of its
 * "lines", and the first one's reason misleads (a gzip file named {@code .log} reads as lines ending with CR alone):
 * a file compressed under a name that does not say so (Flink picks decompression by the name's ending), an nfdump
 * binary file or a packet capture, which other programs read, and text in UTF-16 or UTF-32.
 */
final class BinaryStart {
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    /** nfdump's file magic, 0xA50C, as its files store it (little-endian). */
    private static final byte[] NFDUMP = {0x0c, (byte) 0xa5};

    private static final byte[] PCAP_LITTLE_ENDIAN = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1};
    private static final byte[] PCAP_BIG_ENDIAN = {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4};
    private static final byte[] UTF32_LITTLE_ENDIAN = {(byte) 0xff, (byte) 0xfe, 0, 0};
    private static final byte[] UTF32_BIG_ENDIAN = {0, 0, (byte) 0xfe, (byte) 0xff};
    /** UTF-16's byte order marks, as Windows PowerShell 5's {@code >} writes them. */
    private static final byte[] UTF16_LITTLE_ENDIAN = {(byte) 0xff, (byte) 0xfe};

    private static final byte[] UTF16_BIG_ENDIAN = {(byte) 0xfe, (byte) 0xff};

    private static final String RENAME = " (decompression is chosen by the file name's ending, in lower case): rename"
            + " the file, or decompress it";

    private BinaryStart() {}

    /** Why the file cannot be read as lines, from its first line's bytes; null for a file that may be text. */
    static String reason(byte[] bytes, int length) {
        if (startsWith(bytes, length, GZIP)) {
            return "the file is gzip-compressed, but its name does not end in .gz" + RENAME;
        }
        if (startsWith(bytes, length, BZIP2) && length > 3 && bytes[3] >= '1' && bytes[3] <= '9') {
            return "the file is bzip2-compressed, but its name does not end in .bz2" + RENAME;
        }
        if (startsWith(bytes, length, XZ)) {
            return "the file is xz-compressed, but its name does not end in .xz" + RENAME;
        }
        if (startsWith(bytes, length, ZSTD)) {
            return "the file is zstd-compressed, which is not read: decompress it first (zstd -d)";
        }
        if (startsWith(bytes, length, NFDUMP)) {
            return "the file is nfdump's binary flow file: export its flows as text and read that (nfdump -r FILE"
                    + " -o csv for --input nfdump-csv, or -o json for nfdump-json)";
        }
        if (startsWith(bytes, length, PCAP_LITTLE_ENDIAN) || startsWith(bytes, length, PCAP_BIG_ENDIAN)) {
            return "the file is a packet capture: run Zeek (zeek -r FILE) or Suricata (suricata -r FILE) on it and read"
                    + " their logs";
        }
        if (startsWith(bytes, length, UTF32_LITTLE_ENDIAN) || startsWith(bytes, length, UTF32_BIG_ENDIAN)) {
            return "the file is text in UTF-32, and inputs are read as UTF-8: convert it (iconv -f UTF-32 -t UTF-8)";
        }
        if (startsWith(bytes, length, UTF16_LITTLE_ENDIAN) || startsWith(bytes, length, UTF16_BIG_ENDIAN)) {
            return "the file is text in UTF-16 (as Windows PowerShell 5 writes it), and inputs are read as UTF-8:"
                    + " convert it (iconv -f UTF-16 -t UTF-8, or Out-File -Encoding utf8)";
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int length, byte[] magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
