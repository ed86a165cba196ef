/**
 * Scan, then logon: Flink CEP patterns over scan alerts and authentications per source, the logon time shift, and
 * the CEP operator that forgets quiet sources.
 */
package io.scanwatch.job.correlate;
