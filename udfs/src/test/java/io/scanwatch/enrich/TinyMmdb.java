package io.scanwatch.enrich;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a MaxMind-format database of one network, for records and tree layouts the real files in shared/datasets
 * do not hold: an IPv4-only tree, values no product writes. The format as MaxMind's specification gives it: a
 * binary search tree of 32-bit records, 16 zero bytes, the data section, the metadata after its marker.
 */
final class TinyMmdb {
    private TinyMmdb() {}

    /** @param network the one network, e.g. 8.8.8.0/24; its record of strings, doubles, whole numbers, maps, lists */
    static void write(Path file, int ipVersion, String network, Map<String, Object> record) throws IOException {
        String[] parts = network.split("/");
        byte[] address = java.net.InetAddress.getByName(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        // A chain of nodes, one per bit of the prefix; the other branch of each holds nothing.
        int nodes = prefix;
        ByteArrayOutputStream tree = new ByteArrayOutputStream();
        for (int depth = 0; depth < prefix; depth++) {
            int bit = (address[depth / 8] >> (7 - depth % 8)) & 1;
            long next = depth == prefix - 1 ? nodes + 16 : depth + 1;
            writeInt(tree, bit == 0 ? next : nodes);
            writeInt(tree, bit == 1 ? next : nodes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tree.toByteArray());
        out.write(new byte[16]);
        out.write(value(record));
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("node_count", (long) nodes);
        metadata.put("record_size", 32);
        metadata.put("ip_version", ipVersion);
        metadata.put("database_type", "scanwatch-test");
        metadata.put("languages", List.of("en"));
        metadata.put("binary_format_major_version", 2);
        metadata.put("binary_format_minor_version", 0);
        metadata.put("build_epoch", BigInteger.valueOf(1_700_000_000L));
        metadata.put("description", Map.of("en", "a network for a test"));
        out.write(value(metadata));
        Files.write(file, out.toByteArray());
    }

    private static void writeInt(ByteArrayOutputStream out, long value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }

    private static byte[] value(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (value instanceof String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            control(out, 2, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof Double number) {
            control(out, 3, 8);
            long bits = Double.doubleToLongBits(number);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >>> shift));
            }
        } else if (value instanceof Integer number) {
            unsigned(out, 5, 2, number);
        } else if (value instanceof Long number) {
            unsigned(out, 6, 4, number);
        } else if (value instanceof BigInteger number) {
            unsigned(out, 9, 8, number.longValueExact());
        } else if (value instanceof Map<?, ?> map) {
            control(out, 7, map.size());
            map.forEach((key, entry) -> {
                out.writeBytes(value(key));
                out.writeBytes(value(entry));
            });
        } else if (value instanceof List<?> list) {
            control(out, 11, list.size());
            list.forEach(entry -> out.writeBytes(value(entry)));
        } else {
            throw new IllegalArgumentException("no MMDB type here for " + value);
        }
        return out.toByteArray();
    }

    /** uint16, uint32 or uint64: the reader gives them as Integer, Long and BigInteger. */
    private static void unsigned(ByteArrayOutputStream out, int type, int size, long number) {
        control(out, type, size);
        for (int shift = (size - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (number >>> shift));
        }
    }

    /** A control byte: types past 7 are extended into a second byte; sizes here stay under 29. */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        if (size >= 29) {
            throw new IllegalArgumentException("sizes here stay under 29: " + size);
        }
        out.write((type <= 7 ? type << 5 : 0) | size);
        if (type > 7) {
            out.write(type - 7);
        }
    }
}
