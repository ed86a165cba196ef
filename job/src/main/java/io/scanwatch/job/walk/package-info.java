/** trw_scan: Threshold Random Walk over each source's first contacts, deciding within a handful of probes. */
package io.scanwatch.job.walk;
