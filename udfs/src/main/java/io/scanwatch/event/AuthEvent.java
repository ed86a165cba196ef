package io.scanwatch.event;

import java.util.Objects;

/**
 * One authentication attempt (or a session's worth of them) seen by any sensor, normalised: who came from where,
 * to which host and service, as whom, and whether it worked. A plain public-field class: a Flink POJO.
 */
public class AuthEvent {
    /** Event time, epoch milliseconds. */
    public long timestamp;

    public String sourceIp;
    public int sourcePort = -1;
    /** The host that was logged on to: its name, or its address where that is all the sensor knows. */
    public String targetHost;
    /** The target's address where the sensor knows it; null otherwise. */
    public String targetIp;

    public int targetPort = -1;
    /** {@code ssh}, {@code windows}, {@code kerberos}, ... */
    public String service;
    /** The account tried; null where the sensor does not say. */
    public String user;

    public boolean success;
    /** Attempts this record stands for (Zeek ssh.log counts several per connection). */
    public int attempts = 1;
    /** The sensor's own words: logon type, failure status, "invalid user". */
    public String detail;

    public String format;
    public String sensor;
    /**
     * Where the record was read (a file and line, or a topic, partition and offset), which tells two logons of the
     * same instant apart; null where unknown.
     */
    public String origin;

    public AuthEvent() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AuthEvent)) {
            return false;
        }
        AuthEvent e = (AuthEvent) o;
        return timestamp == e.timestamp
                && sourcePort == e.sourcePort
                && targetPort == e.targetPort
                && success == e.success
                && attempts == e.attempts
                && Objects.equals(sourceIp, e.sourceIp)
                && Objects.equals(targetHost, e.targetHost)
                && Objects.equals(targetIp, e.targetIp)
                && Objects.equals(service, e.service)
                && Objects.equals(user, e.user)
                && Objects.equals(detail, e.detail)
                && Objects.equals(format, e.format)
                && Objects.equals(sensor, e.sensor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, sourceIp, targetHost, user, success);
    }

    @Override
    public String toString() {
        return format + " " + timestamp + " " + IpText.withPort(sourceIp, sourcePort) + " -> " + targetHost + " "
                + service + " user=" + user + (success ? " success" : " failure") + " x" + attempts
                + (detail == null ? "" : " (" + detail + ")");
    }
}
