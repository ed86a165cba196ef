/** Threshold Random Walk (Jung, Paxson, Berger, Balakrishnan, IEEE S&P 2004): scanners from first contacts. */
package io.scanwatch.walk;
