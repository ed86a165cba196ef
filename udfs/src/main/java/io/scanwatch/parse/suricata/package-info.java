/** Suricata eve.json flow events. */
package io.scanwatch.parse.suricata;
