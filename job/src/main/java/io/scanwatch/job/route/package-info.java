/**
 * The gate behind every source: counts each record, sends dead letters, late records and authentications to their
 * outputs, drops authorised scanners and unwatched events, labels direction.
 */
package io.scanwatch.job.route;
