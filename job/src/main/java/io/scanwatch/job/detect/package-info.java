/**
 * Windowed detection: the rules (connection scan, service scan, network scan, the slow tiers, the distributed scans)
 * and the paned detector that runs the rules keyed alike in lanes of shared panes.
 */
package io.scanwatch.job.detect;
