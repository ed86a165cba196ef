package io.scanwatch.job.correlate;

import io.scanwatch.event.AuthEvent;
import java.util.Comparator;
import org.apache.flink.cep.EventComparator;

/**
 * The order CEP takes events of one source that share a timestamp, which would otherwise be the order they
 * arrived in and differ from run to run: scans before logons (a logon at the scan's last instant follows it), scans
 * by alert id, logons by what they say. Two scans ending together (connscan and network_scan of one source) then
 * give the same "follows" on every run.
 */
final class CorrelationOrder implements EventComparator<CorrelationEvent> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<AuthEvent> LOGONS = Comparator.comparing((AuthEvent l) -> l.targetIp, TEXT)
            .thenComparing(l -> l.targetHost, TEXT)
            .thenComparing(l -> l.user, TEXT)
            .thenComparing(l -> l.service, TEXT)
            .thenComparing(l -> l.success)
            .thenComparingInt(l -> l.sourcePort)
            .thenComparingInt(l -> l.attempts)
            .thenComparing(l -> l.detail, TEXT)
            .thenComparing(l -> l.sensor, TEXT);

    @Override
    public int compare(CorrelationEvent a, CorrelationEvent b) {
        if (a.isScan() != b.isScan()) {
            return a.isScan() ? -1 : 1;
        }
        return a.isScan() ? TEXT.compare(a.scan.alertId, b.scan.alertId) : LOGONS.compare(a.logon, b.logon);
    }
}
