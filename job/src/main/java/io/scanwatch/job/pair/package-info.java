/**
 * Records that write one connection more than once (one-way flows, Windows' views from each host), joined into one
 * attempt before detection, keyed by the conversation.
 */
package io.scanwatch.job.pair;
