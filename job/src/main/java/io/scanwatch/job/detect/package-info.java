/**
 * Windowed detection: the rules (connection scan, service scan, network scan) and the paned detector that runs the
 * rules of one group over shared panes.
 */
package io.scanwatch.job.detect;
