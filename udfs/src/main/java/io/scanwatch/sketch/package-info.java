/**
 * Bounded counting: capped exact counts, then a bottom-k sample and an Apache DataSketches HLL estimate past the
 * cap.
 */
package io.scanwatch.sketch;
