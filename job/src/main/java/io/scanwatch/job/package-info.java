/**
 * The entry point and the topology: command line, configuration, the pipeline wired from sources to sinks, the
 * embedded cluster's sizing, and the replay's report.
 */
package io.scanwatch.job;
