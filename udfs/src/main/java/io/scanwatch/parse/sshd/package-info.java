/** OpenSSH authentication log lines. */
package io.scanwatch.parse.sshd;
