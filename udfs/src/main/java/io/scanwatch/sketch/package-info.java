/**
 * Bounded counting: capped exact counts, then a bottom-k sample and an Apache DataSketches HLL estimate past the
 * cap, and the busiest keys counted apart (a Misra-Gries summary); the capped sets' Flink serializer, so that state
 * and the wire hold them compactly; whether a key was seen before (the random walk's, exact then a Bloom filter);
 * keys in the order an analyst reads them; and whether this JVM runs the sketches' library at all.
 */
package io.scanwatch.sketch;
