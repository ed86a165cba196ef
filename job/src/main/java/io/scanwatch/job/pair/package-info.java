/** One-way flow records paired into conversations before detection, keyed by the conversation. */
package io.scanwatch.job.pair;
