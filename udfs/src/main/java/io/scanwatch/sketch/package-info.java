/**
 * Bounded counting: capped exact counts, then a bottom-k sample and an Apache DataSketches HLL estimate past the
 * cap; and the capped sets' Flink serializer, so that state and the wire hold them compactly.
 */
package io.scanwatch.sketch;
