package io.scanwatch.job.bench;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.config.ScanwatchConfig;
import io.scanwatch.job.detect.DetectionRule;
import io.scanwatch.job.detect.DetectorHarness;
import io.scanwatch.job.detect.PanedWindowDetector;
import io.scanwatch.job.detect.RuleContext;
import io.scanwatch.job.detect.RuleKey;
import io.scanwatch.job.detect.RuleRegistry;
import io.scanwatch.job.testing.Events;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/**
 * What a tracked source that went idle costs each detector: bytes in a checkpoint, and bytes of heap while the
 * job holds it (the heap backend, as the job runs by default); and bytes in a checkpoint with state in RocksDB,
 * which keeps a timer per source where the heap backend sweeps. Each source sends one probe that the detector's
 * rules accept, each from its own /24, as in a flood of spoofed sources.
 */
final class StateFootprint {
    private static final long START = 1_772_442_000_000L;
    private static final Outcome[] PROBES = {Outcome.UNANSWERED, Outcome.ABORTED};

    private StateFootprint() {}

    /**
     * Alone: {@code -Dbench.main=io.scanwatch.job.bench.StateFootprint -Dbench.args=[sources]}. The snapshot is taken
     * in memory, as a job's checkpoint to the JobManager, which holds 5 MB: some 46,000 sources in the network tier.
     */
    public static void main(String[] args) throws Exception {
        int sources = BenchArguments.read("StateFootprint [sources, 1,000 to 45,000; 40000]", 1, args, arguments ->
                (int) arguments.number(0, "sources", 40_000, 1_000, 45_000));
        print(Detectors.configLoader().load(null, Map.of()), sources);
    }

    private static void print(ScanwatchConfig config, int sources) throws Exception {
        NetworkClassifier classifier =
                new NetworkClassifier(CidrSet.of(config.network().internalCidrs()), CidrSet.of(List.of()));
        Map<String, List<DetectionRule<?>>> groups = new LinkedHashMap<>();
        RuleRegistry.rules(
                        config, new RuleContext(classifier, config.detection().distinctCap()))
                .forEach(rule -> groups.computeIfAbsent(rule.keyedBy(), k -> new ArrayList<>())
                        .add(rule));
        System.out.printf(
                "state per idle tracked source (%,d sources, one probe each, each in its own /24):%n", sources);
        for (List<DetectionRule<?>> group : groups.values()) {
            measure(group, sources);
        }
    }

    /** One detector as the pipeline runs it: the rules keyed alike. */
    private static void measure(List<DetectionRule<?>> group, int sources) throws Exception {
        DetectionRule<?> lead = group.get(0);
        Outcome outcome = null;
        for (Outcome candidate : PROBES) {
            if (lead.accepts(probe(0, candidate))) {
                outcome = candidate;
                break;
            }
        }
        if (outcome == null) {
            return; // a rule of outbound scans: its sources are internal hosts, not a flood's
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        DetectorHarness harness = DetectorHarness.open(new PanedWindowDetector(group, null), new RuleKey(lead), null);
        // The heap grown by the second half: what the first half set up (and the last harness let go) cancels.
        int half = sources / 2;
        long before = 0;
        for (int i = 0; i < sources; i++) {
            if (i == half) {
                before = settledHeap(memory);
            }
            harness.processElement(probe(i, outcome), START + i);
        }
        long heap = (settledHeap(memory) - before) / (sources - half);
        long checkpoint = harness.snapshot(1, START + sources).getStateSize() / sources;
        harness.close();
        System.out.printf(
                "  %-22s %4d bytes in a checkpoint, %4d bytes of heap (keyed by %s); with RocksDB %d in a checkpoint"
                        + " (its files, compressed)%n",
                lead.keyedBy(),
                checkpoint,
                heap,
                lead.key(probe(0, outcome)).contains("/") ? "network" : "source",
                rocksDbCheckpoint(group, outcome, sources));
    }

    /**
     * The same sources' bytes in a checkpoint of RocksDB: their probes and their timers, in the files RocksDB writes,
     * compressed (the flood's sources differ only in their address).
     */
    private static long rocksDbCheckpoint(List<DetectionRule<?>> group, Outcome outcome, int sources) throws Exception {
        DetectorHarness harness = new DetectorHarness(new PanedWindowDetector(group, null), new RuleKey(group.get(0)));
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        for (int i = 0; i < sources; i++) {
            harness.processElement(probe(i, outcome), START + i);
        }
        long checkpoint = harness.snapshot(1, START + sources).getStateSize() / sources;
        harness.close();
        return checkpoint;
    }

    /**
     * The heap in use once collections stop freeing more. A closed harness lets go of its state through
     * finalizable objects, so finalization runs between the collections.
     */
    @SuppressWarnings("removal") // the one way to wait for the finalizer thread; a bench, not the job
    private static long settledHeap(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        int steady = 0;
        for (int i = 0; i < 20 && steady < 2; i++) {
            System.gc();
            System.runFinalization();
            long now = memory.getHeapMemoryUsage().getUsed();
            steady = now >= used ? steady + 1 : 0;
            used = Math.min(used, now);
        }
        return used;
    }

    private static ConnectionEvent probe(int i, Outcome outcome) {
        String source = (100 + (i >> 16)) + "." + ((i >> 8) & 255) + "." + (i & 255) + ".1";
        return Events.tcp(START + i, source, "10.20.0.80", 80, outcome, Direction.EXTERNAL_INTERNAL);
    }
}
