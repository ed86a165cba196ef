/**
 * What a task needs of the JVM it runs in, checked where the task opens: on a cluster the TaskManagers' Java is not
 * the client's, which {@code ScanwatchJob} checks at start.
 */
package io.scanwatch.job.runtime;
