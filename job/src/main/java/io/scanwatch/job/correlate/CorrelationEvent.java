package io.scanwatch.job.correlate;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.ScanFacts;

/** What the scan-then-logon patterns see, keyed by source address: a scan alert or a logon attempt. */
public class CorrelationEvent {
    public String sourceIp;
    /** Set for a scan alert. */
    public ScanFacts scan;
    /** Set for a logon attempt. */
    public AuthEvent logon;

    public CorrelationEvent() {}

    public static CorrelationEvent of(Alert alert) {
        CorrelationEvent e = new CorrelationEvent();
        e.sourceIp = alert.detection.sourceIp;
        e.scan = ScanFacts.of(alert);
        return e;
    }

    public static CorrelationEvent of(AuthEvent logon) {
        CorrelationEvent e = new CorrelationEvent();
        e.sourceIp = logon.sourceIp;
        e.logon = logon;
        return e;
    }

    public boolean isScan() {
        return scan != null;
    }
}
