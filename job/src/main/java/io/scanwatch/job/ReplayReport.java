package io.scanwatch.job;

import io.scanwatch.job.alert.CountAlerts;
import io.scanwatch.job.control.ControlTimeline;
import io.scanwatch.job.correlate.CountLateCorrelation;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.route.RouteTelemetry;
import io.scanwatch.job.sink.OutputSinks;
import io.scanwatch.job.sink.search.SearchOutcomes;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay tells the person running it on standard error: progress while it runs, and a one-screen summary
 * at the end, both from the job's accumulators ({@code format.<id>.parsed|skipped|dead-lettered},
 * {@code events.all.late|authorized-scanner}).
 */
final class ReplayReport {
    private final PrintStream err;
    private final long startNanos = System.nanoTime();

    ReplayReport(PrintStream err) {
        this.err = err;
    }

    void progress(Map<String, Object> accumulators) {
        long records = records(accumulators);
        long alerts = alertsByRule(accumulators).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        double seconds = elapsedSeconds();
        err.printf(
                "scanwatch: %,d records read, %,.0f records/s, %,d alerts so far%n",
                records, seconds > 0 ? records / seconds : 0.0, alerts);
    }

    /** What the search cluster took of the alerts: the summary's alert count is what left the job. */
    void search(SearchOutcomes.Counts counts, String deadLetterIndex) {
        err.printf("  in search            %,d alerts indexed", counts.indexed());
        if (counts.rejected() > 0) {
            err.printf(
                    ", %,d refused by the cluster, in %s with its reasons (a mapping that does not fit them?)",
                    counts.rejected(), deadLetterIndex);
        }
        err.println();
    }

    /** Where the dead letters went: a count with nowhere to look is no help. */
    private static String kept(String deadLetterTargets) {
        return deadLetterTargets.isEmpty()
                ? " (not kept: --dead-letters FILE or kafka.dead-letters-topic keeps them)"
                : " (in " + deadLetterTargets + ")";
    }

    private static final String REPLAY_FINISHED = "replay finished";

    void summary(Map<String, Object> accumulators, OutputSinks.Targets targets) {
        summary(REPLAY_FINISHED, accumulators, targets);
    }

    /** @param ended how the run ended, for the heading: "replay finished", "stopped" */
    void summary(String ended, Map<String, Object> accumulators, OutputSinks.Targets targets) {
        Map<String, Long> alertsByRule = alertsByRule(accumulators);
        double seconds = elapsedSeconds();
        long records = records(accumulators);
        err.printf("scanwatch: %s in %.1f s (%,.0f records/s)%n", ended, seconds, records / Math.max(seconds, 1e-3));
        // An empty file is not an error, but a replay of nothing should not look like a quiet network.
        err.printf(
                "  records read         %,d%s%n",
                records, records == 0 && ended.equals(REPLAY_FINISHED) ? " (the inputs hold no lines)" : "");
        Map<String, long[]> byFormat = new TreeMap<>();
        accumulators.forEach((name, value) -> {
            String[] parts = name.split("\\.");
            if (parts.length == 3 && parts[0].equals(JobCounters.FORMAT_GROUP) && !parts[2].equals("read")) {
                long[] counts = byFormat.computeIfAbsent(parts[1], f -> new long[3]);
                int slot = parts[2].equals("parsed") ? 0 : parts[2].equals("skipped") ? 1 : 2;
                counts[slot] += ((Number) value).longValue();
            }
        });
        byFormat.forEach((format, c) -> {
            err.printf("    %-18s %,d parsed, %,d skipped, %,d dead letters%n", format, c[0], c[1], c[2]);
            // A parser skips what is not its kind of record (a Zeek log of another #path, sshd lines it does not
            // know): files given the wrong format look skipped, not broken. Lines skipped under auto or syslog came
            // before a format was found in their stream. Where dead letters outnumber the skipped lines, the records
            // may be broken or of another format (an sshd log read as a Zeek TSV one): their reasons tell which.
            TelemetryFormat read = TelemetryFormat.byId(format);
            if (read.findsFormats() && c[1] > 0) {
                // Otherwise a quick start's summary shows a row of skipped lines under a format no file is written in.
                err.printf("      skipped: lines read before a format was found in their input (a log's header, other"
                        + " programs' lines)%n");
            }
            if (c[0] == 0 && c[1] > c[2] && !read.findsFormats()) {
                err.printf(
                        "      nothing parsed as %s: if these files hold another format, name it in --input"
                                + " (or auto=PATH)%n",
                        format);
                if (read.whenNothingParsed() != null) {
                    err.printf("      %s%n", read.whenNothingParsed());
                }
            } else if (c[0] == 0 && c[2] > 0 && !read.findsFormats()) {
                err.printf(
                        "      nothing parsed as %s: the dead letters say why (--dead-letters FILE keeps them); if"
                                + " these files hold another format, name it in --input (or auto=PATH)%n",
                        format);
            }
        });
        long deadLetters = byFormat.values().stream().mapToLong(c -> c[2]).sum();
        err.printf("  dead letters         %,d%s%n", deadLetters, deadLetters == 0 ? "" : kept(targets.deadLetters()));
        lineIfAny(
                err,
                "broken inputs",
                count(accumulators, "broken-input"),
                "files, or byte ranges of a file read by several readers, each read up to its break; the dead letters"
                        + " say where");
        long late = count(accumulators, "late") + count(accumulators, "late-correlation");
        err.printf(
                "  late events          %,d%s%n",
                late, late == 0 ? "" : " (dropped: past every rule's windows, or behind the correlation's)");
        lineIfAny(
                err,
                "late scan alerts",
                count(accumulators, CountLateCorrelation.LATE_SCAN_ALERTS),
                "reached the scan-then-logon correlation behind its watermark, so never matched with logons");
        lineIfAny(
                err,
                "late for some rules",
                count(accumulators, RouteTelemetry.LATE_FOR_SOME_RULES),
                "dropped by the rules whose windows had closed, counted by those whose windows still held them: e.g."
                        + " an hour late for the network scan, still in the slow tiers");
        long paired = count(accumulators, "one-way", "paired");
        long alone = count(accumulators, "one-way", "unpaired");
        long answers = count(accumulators, "one-way", "unpaired-answers");
        long duplicates = count(accumulators, "one-way", "duplicates");
        if (paired + alone + answers + duplicates > 0) {
            err.printf(
                    "  one-way flows        %,d paired, %,d without an answer, %,d replies without a request"
                            + " (dropped), %,d duplicates%n",
                    paired, alone, answers, duplicates);
        }
        long views = count(accumulators, "endpoint-views", "read");
        if (views > 0) {
            long connections = count(accumulators, "endpoint-views", "connections");
            err.printf(
                    "  Windows records      %,d read as %,d connections%s%n",
                    views, connections, connections < views ? " (both ends and Sysmon write each one)" : "");
        }
        err.printf("  authorized scanners  %,d events not alerted on%n", count(accumulators, "authorized-scanner"));
        err.printf(
                "  unwatched events     %,d (no enabled rule looks at them, e.g. completed connections)%n",
                count(accumulators, RouteTelemetry.UNWATCHED));
        err.printf(
                "  alerts               %,d -> %s%n",
                alertsByRule.values().stream().mapToLong(Long::longValue).sum(), targets.alerts());
        new TreeMap<>(alertsByRule).forEach((rule, n) -> err.printf("    %-34s %,d%n", rule, n));
        enrichment(accumulators);
        long silenced = counted(accumulators, "alerts.policy.silenced");
        long dropped = counted(accumulators, "alerts.policy.dropped");
        if (silenced + dropped > 0) {
            err.printf(
                    "  held back by policy  %,d silenced (authorised by a live change), %,d dropped (known scanners)%n",
                    silenced, dropped);
        }
        long accepted = counted(accumulators, "control.changes.accepted");
        long rejected = counted(accumulators, "control.changes.rejected");
        if (accepted + rejected > 0) {
            err.printf(
                    "  control changes      %,d accepted, %,d rejected (the status output says why)%n",
                    accepted, rejected);
        }
        long forgotten = counted(accumulators, "control.changes.forgotten");
        if (forgotten > 0) {
            err.printf(
                    "    %,d forgotten: only the newest %,d by time are kept, so the windows before the oldest of them"
                            + " were judged by the start-up configuration%n",
                    forgotten, ControlTimeline.KEPT);
        }
    }

    /**
     * What the enrichment databases knew of the alerts' sources. A damaged database file can open and then find
     * nothing, and an alert without a country reads as a source of unknown country.
     */
    private void enrichment(Map<String, Object> accumulators) {
        long found = counted(accumulators, "enrichment.lookups.found");
        long notFound = counted(accumulators, "enrichment.lookups.not-found");
        long failed = counted(accumulators, "enrichment.lookups.failed");
        long special = counted(accumulators, "enrichment.lookups.special-purpose");
        if (found + notFound + failed + special == 0) {
            return;
        }
        err.printf(
                "  enrichment           %,d alerts' sources found, %,d not found, %,d lookups failed%s%n",
                found,
                notFound,
                failed,
                special == 0
                        ? ""
                        : String.format(
                                ", %,d special-purpose (documentation, benchmarking, loopback: not looked up)",
                                special));
        if (found == 0 && notFound + failed > 0) {
            err.printf("      none found: public addresses are in every GeoIP and AS database, so if any of these"
                    + " sources is public, check enrichment.mmdb and enrichment.asn-csv (a damaged file may open and"
                    + " find nothing)%n");
        }
    }

    private static long counted(Map<String, Object> accumulators, String name) {
        Object value = accumulators.get(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** From {@code alerts.<rule>.raised}. */
    private static Map<String, Long> alertsByRule(Map<String, Object> accumulators) {
        Map<String, Long> byRule = new TreeMap<>();
        accumulators.forEach((name, value) -> {
            String[] parts = name.split("\\.");
            if (parts.length == 3 && parts[0].equals(CountAlerts.GROUP) && parts[2].equals(CountAlerts.RAISED)) {
                byRule.merge(parts[1], ((Number) value).longValue(), Long::sum);
            }
        });
        return byRule;
    }

    private static long records(Map<String, Object> accumulators) {
        long total = 0;
        for (Map.Entry<String, Object> e : accumulators.entrySet()) {
            if (e.getKey().startsWith(JobCounters.FORMAT_GROUP + ".")
                    && e.getKey().endsWith(".read")) {
                total += ((Number) e.getValue()).longValue();
            }
        }
        return total;
    }

    private static long count(Map<String, Object> accumulators, String name) {
        return count(accumulators, "all", name);
    }

    private static long count(Map<String, Object> accumulators, String member, String name) {
        return counted(accumulators, JobCounters.EVENTS_GROUP + "." + member + "." + name);
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A summary line for what happened only: most runs have none of it. */
    private static void lineIfAny(PrintStream err, String label, long count, String note) {
        if (count > 0) {
            err.printf("  %-20s %,d (%s)%n", label, count, note);
        }
    }
}
