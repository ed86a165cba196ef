package io.scanwatch.job.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic identifiers, so that a replay or a re-fired window writes the same document again (an upsert in
 * Elasticsearch, a duplicate a consumer can drop) instead of a second alert.
 */
final class AlertIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AlertIds() {}

    static String episodeId(String seed, long episodeStart) {
        return hash(seed + "|" + episodeStart);
    }

    static String alertId(String episodeId, int sequence) {
        return hash(episodeId + "|" + sequence);
    }

    /** The first 128 bits of SHA-256, in hex. */
    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[32];
            for (int i = 0; i < 16; i++) {
                out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
                out[2 * i + 1] = HEX[digest[i] & 0xF];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
