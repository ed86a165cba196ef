/**
 * Syslog line framing (traditional and RFC 3339 timestamps, host, program, message), journald's JSON entries read
 * as the lines they stand for, and the programs' parsers a syslog stream holds.
 */
package io.scanwatch.parse.syslog;
