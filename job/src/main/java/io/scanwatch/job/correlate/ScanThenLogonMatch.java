package io.scanwatch.job.correlate;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.config.ScanwatchConfig.CorrelationConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.Logon;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.LogonTarget;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.job.model.Severity;
import io.scanwatch.net.NetworkClassifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a scan-then-logon match into a detection for alerting: the scan it follows and the logons, as logon
 * evidence; the detection's probe tally only spans the time from the scan's first probe to the last logon.
 */
final class ScanThenLogonMatch extends PatternProcessFunction<CorrelationEvent, Detection> {
    /** An account or host that the logon record does not name. */
    private static final String NOT_LOGGED = "(not logged)";

    static final String FAILURES_RULE = "scan_then_logon";
    static final String SUCCESS_RULE = "scan_then_logon_success";

    /** The pattern whose matches it turns into detections ({@link ScanThenLogonPatterns}). */
    enum Matched {
        FAILURES(ScanThenLogonPatterns.LAST_FAILURE),
        SUCCESS(ScanThenLogonPatterns.SUCCESS),
        /** One logon, a guess or a success, after a match of the other two. */
        CONTINUATION(ScanThenLogonPatterns.LOGON);

        /** The match's last stage: the logon that completes it. */
        final String last;

        Matched(String last) {
            this.last = last;
        }
    }

    private final Matched matched;
    private final CorrelationConfig config;
    private final NetworkClassifier classifier;
    private final int distinctCap;

    ScanThenLogonMatch(Matched matched, CorrelationConfig config, NetworkClassifier classifier, int distinctCap) {
        this.matched = matched;
        this.config = config;
        this.classifier = classifier;
        this.distinctCap = distinctCap;
    }

    /**
     * A logon after a match, held back until CEP has matched it with every report of the scan in reach (all in a
     * row, as it takes the logon in): the one it follows best, and where it goes ({@link #flush}).
     */
    private transient Detection held;

    private transient Collector<Detection> heldOut;

    @Override
    public void processMatch(Map<String, List<CorrelationEvent>> match, Context ctx, Collector<Detection> out) {
        Detection detection = detectionOf(match);
        if (matched != Matched.CONTINUATION) {
            out.collect(detection);
            return;
        }
        if (held != null && !held.logons.records.equals(detection.logons.records)) {
            flush();
        }
        if (held == null || followsBetter(detection, held)) {
            held = detection;
            heldOut = out;
        }
    }

    /** Sends the logon held back: called once CEP has taken in the events due ({@link QuietKeyCleaningCepOperator}). */
    void flush() {
        if (held != null) {
            heldOut.collect(held);
            held = null;
        }
    }

    /**
     * Whether a logon's match follows a better scan than another match of it: one that probed the host logged on to,
     * else the latest report, as {@link #followed} chooses for a match's logons.
     */
    private static boolean followsBetter(Detection one, Detection other) {
        if (one.logons.atProbedTargets != other.logons.atProbedTargets) {
            return one.logons.atProbedTargets;
        }
        return one.follows.reportedAt > other.follows.reportedAt;
    }

    private Detection detectionOf(Map<String, List<CorrelationEvent>> match) {
        List<ScanFacts> scans = new ArrayList<>();
        scans.add(match.get(LogonAfterScan.SCAN).get(0).scan);
        List<AuthEvent> logons = new ArrayList<>();
        for (CorrelationEvent e : match.getOrDefault(EnoughFailures.FAILURES, List.of())) {
            if (e.isScan()) {
                scans.add(e.scan);
            } else {
                logons.add(e.logon);
            }
        }
        List<CorrelationEvent> last = match.get(matched.last);
        last.forEach(e -> logons.add(e.logon));
        boolean success = matched == Matched.SUCCESS || matched == Matched.CONTINUATION && last.get(0).logon.success;
        ScanFacts scan = followed(scans, logons);

        LogonEvidence evidence = new LogonEvidence();
        ProbeTally tally = new ProbeTally();
        evidence.firstLogon = Long.MAX_VALUE;
        evidence.atProbedTargets = true;
        long firstRecord = Long.MAX_VALUE;
        for (AuthEvent logon : logons) {
            String target =
                    logon.targetIp != null ? logon.targetIp : logon.targetHost != null ? logon.targetHost : NOT_LOGGED;
            String user = logon.user == null ? null : config.hashUsers() ? hash(logon.user) : logon.user;
            if (logon.success) {
                evidence.successes++;
                if (evidence.loggedOn.size() < distinctCap) {
                    evidence.loggedOn.add(Logon.of(user, target, logon.timestamp));
                }
            } else {
                evidence.failures += logon.attempts;
            }
            // A sensor that logs no accounts (Zeek's ssh.log) names none: "(not logged)" is not one distinct user.
            if (user != null) {
                evidence.users.add(user, Math.max(1, logon.attempts), config.maxUsers());
            }
            evidence.targets.add(target, Math.max(1, logon.attempts), distinctCap);
            addBounded(evidence.services, logon.service, distinctCap);
            // The first guess or success, not a line that only gives context (sshd's PAM line counts no attempt).
            if (logon.success || logon.attempts > 0) {
                evidence.firstLogon = Math.min(evidence.firstLogon, logon.timestamp);
            }
            firstRecord = Math.min(firstRecord, logon.timestamp);
            evidence.lastLogon = Math.max(evidence.lastLogon, logon.timestamp);
            // A success is rated where it got in: wrong guesses first at a host the scan missed do not lower it.
            if (!success || logon.success) {
                evidence.atProbedTargets &= LogonTarget.of(logon, scan, classifier) == LogonTarget.PROBED;
            }
        }
        if (evidence.firstLogon == Long.MAX_VALUE) {
            evidence.firstLogon = firstRecord;
        }
        for (AuthEvent logon : logons) {
            evidence.records.add(recordOf(logon));
        }
        evidence.delayMillis = evidence.firstLogon - scan.lastSeen;
        tally.firstSeen = scan.firstSeen;
        tally.lastSeen = evidence.lastLogon;

        Detection d = new Detection();
        d.rule = success ? SUCCESS_RULE : FAILURES_RULE;
        d.sourceIp = match.get(LogonAfterScan.SCAN).get(0).sourceIp;
        d.scope = "";
        d.windowKind = "pattern";
        d.windowStart = scan.firstSeen;
        // Raised once both are known: logons inside the scan's window (the grace) are stamped after its alert, so an
        // analyst's timeline never shows the correlation before the scan it follows.
        d.windowEnd = Math.max(evidence.lastLogon, scan.windowEnd) + 1;
        d.sourceInternal = classifier.isInternal(d.sourceIp);
        d.networkDirection = scan.networkDirection;
        d.severity = success
                ? (evidence.atProbedTargets ? Severity.CRITICAL.score : Severity.HIGH.score)
                : (evidence.atProbedTargets ? Severity.HIGH.score : Severity.MEDIUM.score);
        // From inside, a scan is discovery and a logon after it lateral movement; from the Internet, reconnaissance
        // and initial access.
        d.techniques = d.sourceInternal
                ? List.of("T1046", success ? "T1021" : "T1110")
                : List.of("T1595", success ? "T1078" : "T1110");
        d.suppressionPeriod = config.suppressionPeriod().toMillis();
        d.tally = tally;
        d.follows = scan;
        d.logons = evidence;
        d.continuation = matched == Matched.CONTINUATION;
        return d;
    }

    /**
     * The scan the logons follow, of the source's scans before them: the one that probed most of the hosts logged on
     * to, then the latest (a ping sweep, then a port scan of the host logged on to: the port scan). Only scans that
     * began before the first logon count.
     */
    private ScanFacts followed(List<ScanFacts> scans, List<AuthEvent> logons) {
        long firstLogon = logons.stream().mapToLong(l -> l.timestamp).min().orElse(Long.MAX_VALUE);
        ScanFacts best = scans.get(0);
        long bestProbed = probed(best, logons);
        for (ScanFacts later : scans.subList(1, scans.size())) {
            long probed = probed(later, logons);
            if (later.firstSeen <= firstLogon && probed >= bestProbed) {
                best = later;
                bestProbed = probed;
            }
        }
        return best;
    }

    private long probed(ScanFacts scan, List<AuthEvent> logons) {
        return logons.stream()
                .filter(logon -> LogonTarget.of(logon, scan, classifier) == LogonTarget.PROBED)
                .count();
    }

    /** Where the logon was read; where that is unknown, what it says, which a record read twice says alike. */
    private static String recordOf(AuthEvent logon) {
        return logon.origin != null
                ? logon.origin
                : String.join(
                        "|",
                        logon.sourceIp,
                        String.valueOf(logon.timestamp),
                        String.valueOf(logon.sourcePort),
                        logon.targetHost,
                        logon.user,
                        String.valueOf(logon.success),
                        String.valueOf(logon.attempts),
                        logon.detail);
    }

    private static void addBounded(List<String> values, String value, int max) {
        if (values.size() < max && !values.contains(value)) {
            values.add(value);
        }
    }

    /** Accounts as the first 16 hex digits of their SHA-256, for sites that keep user names out of alerts. */
    private static String hash(String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
