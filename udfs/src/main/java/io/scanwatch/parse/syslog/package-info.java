/** Syslog line framing: traditional and RFC 3339 timestamps, host, program, message. */
package io.scanwatch.parse.syslog;
