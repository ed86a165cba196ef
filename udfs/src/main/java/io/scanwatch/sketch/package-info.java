/**
 * Bounded counting: capped exact counts, then a bottom-k sample and an Apache DataSketches HLL estimate past the
 * cap, and the busiest keys counted apart (a Misra-Gries summary); the capped sets' Flink serializer, so that state and the wire hold them compactly; and whether this JVM runs
 * the sketches' library at all.
 */
package io.scanwatch.sketch;
