/**
 * How event time crosses the places where the job's own ways meet again: operators that only hand records on and
 * change what their watermarks say downstream.
 */
package io.scanwatch.job.time;
