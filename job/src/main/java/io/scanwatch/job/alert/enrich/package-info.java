/**
 * What the configured databases know of each alert's source (country, city, location, AS), looked up on the alerts
 * the policy sends, with the database files shared by a TaskManager's instances and opened again when replaced.
 */
package io.scanwatch.job.alert.enrich;
