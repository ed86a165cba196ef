/** Zeek conn.log and ssh.log, JSON and TSV with their headers. */
package io.scanwatch.parse.zeek;
