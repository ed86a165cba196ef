/**
 * What flows between operators and leaves the job: detections, alerts and their evidence (probe tallies, the scan
 * a correlation follows, logon evidence), dead letters, severities and ATT&CK techniques. A leaf: it imports no
 * operator package.
 */
package io.scanwatch.job.model;
