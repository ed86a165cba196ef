package io.scanwatch.job;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.jobgraph.DistributionPattern;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the embedded MiniCluster of {@code java -jar} to the machine and the plan. Flink's local default runs one
 * subtask per core and gives the network a fixed 64 MB; every keyed exchange needs buffers for each pair of
 * subtasks (and each file is a source of its own), so on 8 or more cores the job could not even start. On a
 * real cluster neither applies: its operator sets parallelism and memory.
 */
public final class EmbeddedCluster {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);
    /** A local replay gains nothing from more subtasks than this: it is bounded by parsing and by the machine. */
    public static final int MAX_DEFAULT_PARALLELISM = 8;

    // Flink's defaults: exclusive buffers per input channel, floating buffers per gate, and the buffer size.
    private static final long BUFFERS_PER_CHANNEL = 2;
    private static final long FLOATING_PER_GATE = 8;
    private static final long BUFFER_BYTES = 32 * 1024;
    private static final MemorySize FLINK_LOCAL_DEFAULT = MemorySize.ofMebiBytes(64);
    /** Flink's managed memory on a local cluster, and the fewest pages a batch sorter works with. */
    private static final MemorySize FLINK_LOCAL_MANAGED = MemorySize.ofMebiBytes(128);

    private static final long SORT_PAGES = 12;
    /** Followed by the process id (for whoever looks in /tmp) and a dash. */
    private static final String TEMPORARY_PREFIX = "scanwatch-";

    private static final String LOCK = ".lock";
    /** Held until the process ends: a lock that is free tells a later run the directory was left behind. */
    private static final Map<Path, FileChannel> OWN_LOCKS = new ConcurrentHashMap<>();

    private EmbeddedCluster() {}

    private static long maxDirectMemory() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        long configured = hotspot == null
                ? 0
                : Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
    }

    static boolean isEmbedded(StreamExecutionEnvironment env) {
        return env instanceof LocalStreamEnvironment;
    }

    /** The parallelism of {@code java -jar} unless {@code --parallelism} says otherwise. */
    public static int defaultParallelism(int cores) {
        return Math.max(1, Math.min(cores, MAX_DEFAULT_PARALLELISM));
    }

    /**
     * Gives the embedded cluster a temporary directory of this process's own ({@code io.tmp.dirs} and
     * {@code web.tmpdir}, unless set), removed when the process ends. Flink extracts its 21 MB RPC jar and a working
     * directory there at every start, and leaves both behind when the process exits while the cluster is still
     * closing: 1,300 replays had left 27 GB in /tmp. The directory holds a lock for as long as its process lives, so
     * that the next run removes what one that could not clean up (killed, or halted out of memory) left.
     */
    static void useOwnTemporaryDirectory(StreamExecutionEnvironment env) throws IOException {
        boolean tmpDirs =
                env.getConfiguration().getOptional(CoreOptions.TMP_DIRS).isPresent();
        boolean webTmpDir =
                env.getConfiguration().getOptional(WebOptions.TMP_DIR).isPresent();
        if (tmpDirs && webTmpDir) {
            return;
        }
        Path own = createOwnDirectory(Path.of(System.getProperty("java.io.tmpdir")));
        FileChannel lock = FileChannel.open(own.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock.lock();
        OWN_LOCKS.put(own, lock);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(own), "scanwatch temporary files"));
        deleteLeftBehind(own.getParent());
        Configuration temporary = new Configuration();
        if (!tmpDirs) {
            temporary.set(CoreOptions.TMP_DIRS, own.toString());
        }
        if (!webTmpDir) {
            temporary.set(WebOptions.TMP_DIR, own.toString());
        }
        env.configure(temporary);
    }

    /**
     * {@code scanwatch-<pid>-<6 hex digits>}: short, because RocksDB's paths below it (the cluster's working
     * directory, the job, the operator, its uid) come near the 255 characters past which it warns at every start.
     */
    private static Path createOwnDirectory(Path temporary) throws IOException {
        while (true) {
            String suffix =
                    Integer.toHexString(0x100000 + ThreadLocalRandom.current().nextInt(0xF00000));
            try {
                return Files.createDirectory(
                        temporary.resolve(
                                TEMPORARY_PREFIX + ProcessHandle.current().pid() + "-" + suffix),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // Another run's name: draw again.
            }
        }
    }

    /**
     * The directories of runs whose process has ended: their lock, which a process holds until it ends however it
     * ends (and which a process id would not tell across containers sharing the directory), is free. This process's
     * own are never opened again: closing any channel of a file drops every lock the process holds on it (POSIX),
     * and a run going on would then look left behind. A directory made in the last minute may not hold its lock yet.
     */
    static void deleteLeftBehind(Path temporary) throws IOException {
        long recent = System.currentTimeMillis() - Duration.ofMinutes(1).toMillis();
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(temporary, TEMPORARY_PREFIX + "*")) {
            for (Path run : runs) {
                Path lock = run.resolve(LOCK);
                if (OWN_LOCKS.containsKey(run) || !Files.isRegularFile(lock)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                    if (Files.getLastModifiedTime(lock).toMillis() > recent) {
                        continue;
                    }
                    FileLock free = channel.tryLock();
                    if (free != null) {
                        free.release();
                        delete(run);
                    }
                } catch (IOException e) {
                    // Another user's, or gone meanwhile: not this run's to remove.
                }
            }
        }
    }

    /**
     * Deletes what it can: Flink's own shutdown hooks run at the same time and remove (or still write) files in
     * it, so a file gone or a directory not yet empty does not stop the rest; what they wrote meanwhile is taken by
     * the next pass.
     */
    private static void delete(Path directory) {
        for (int pass = 0; pass < 3 && Files.exists(directory); pass++) {
            try {
                Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        file.toFile().delete();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        dir.toFile().delete();
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                // The process is ending: nothing is left to report it to.
            }
        }
    }

    /**
     * Network memory the plan needs at least, with room to spare, and never below Flink's own default. A streaming
     * job's exchanges are pipelined, each channel holding buffers of its own while every task runs. A batch
     * replay's are blocking: Flink caps the buffers of each input gate and its sort-merge shuffle reads from memory
     * of its own, so its default suffices (a replay at parallelism 256 ran in it, where the streaming estimate
     * asked 54 GB).
     */
    static MemorySize networkMemory(JobGraph plan, int defaultParallelism, RuntimeExecutionMode mode) {
        if (mode == RuntimeExecutionMode.BATCH) {
            return FLINK_LOCAL_DEFAULT;
        }
        // In doubles: an absurd parallelism must give an absurd size, not an overflowed one.
        double buffers = 0;
        for (JobVertex consumer : plan.getVertices()) {
            double parallelism = parallelism(consumer, defaultParallelism);
            for (JobEdge input : consumer.getInputs()) {
                double producers = parallelism(input.getSource().getProducer(), defaultParallelism);
                boolean allToAll = input.getDistributionPattern() == DistributionPattern.ALL_TO_ALL;
                double channels = allToAll ? producers : Math.max(1, producers / parallelism);
                double subpartitions = allToAll ? parallelism : Math.max(1, parallelism / producers);
                buffers += parallelism * (BUFFERS_PER_CHANNEL * channels + FLOATING_PER_GATE);
                buffers += producers * (subpartitions + 1 + FLOATING_PER_GATE);
            }
        }
        double mebibytes = Math.ceil(buffers * BUFFER_BYTES * 1.25 / (1024 * 1024));
        return MemorySize.ofMebiBytes(
                (long) Math.min(Math.max(FLINK_LOCAL_DEFAULT.getMebiBytes(), mebibytes), 1L << 40));
    }

    /** A vertex's parallelism; most take the job's, which the plan leaves unset until it runs. */
    private static int parallelism(JobVertex vertex, int defaultParallelism) {
        return vertex.getParallelism() > 0 ? vertex.getParallelism() : defaultParallelism;
    }

    /**
     * Managed memory for a batch replay's sorts: every keyed input of every subtask is sorted, in at least 12 pages
     * of 32 KB (given twice that), and the embedded cluster's default (128 MB) shared by 192 subtasks failed the
     * job ("Too little memory provided to sorter"). Never below the default.
     */
    static MemorySize sortMemory(JobGraph plan, int defaultParallelism) {
        double pages = 0;
        for (JobVertex consumer : plan.getVertices()) {
            for (JobEdge input : consumer.getInputs()) {
                if (input.getDistributionPattern() == DistributionPattern.ALL_TO_ALL) {
                    pages += parallelism(consumer, defaultParallelism) * SORT_PAGES * 2;
                }
            }
        }
        double mebibytes = Math.ceil(pages * BUFFER_BYTES / (1024 * 1024));
        return MemorySize.ofMebiBytes(
                (long) Math.min(Math.max(FLINK_LOCAL_MANAGED.getMebiBytes(), mebibytes), 1L << 40));
    }

    /**
     * Gives the embedded cluster the network memory of the pipeline built on {@code env}, and a shuffle without
     * compression; fails with what to change when this JVM cannot hold it (network buffers are direct memory, by
     * default as much as the heap).
     */
    public static void fitNetwork(StreamExecutionEnvironment env) {
        JobGraph plan = env.getStreamGraph(false).getJobGraph();
        RuntimeExecutionMode mode = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE);
        MemorySize network = networkMemory(plan, env.getParallelism(), mode);
        // The rest of direct memory is Flink's own and the Kafka clients'.
        long budget = maxDirectMemory() / 4 * 3;
        if (network.getBytes() > budget) {
            // At Flink's floor, a lower parallelism needs as much.
            boolean floor = network.equals(FLINK_LOCAL_DEFAULT);
            throw new IllegalArgumentException(String.format(
                    "parallelism %d needs about %d MB of network memory on the embedded cluster, more than the %d MB"
                            + " this JVM can give it (3/4 of its direct memory): %sraise -XX:MaxDirectMemorySize (or"
                            + " -Xmx)",
                    env.getParallelism(),
                    network.getMebiBytes(),
                    budget >> 20,
                    floor ? "" : "lower --parallelism, or "));
        }
        LOG.info("embedded cluster: parallelism {}, network memory {}", env.getParallelism(), network);
        Configuration memory = new Configuration();
        memory.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
        memory.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
        if (mode == RuntimeExecutionMode.BATCH) {
            memory.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, sortMemory(plan, env.getParallelism()));
        }
        // A batch replay's shuffle never leaves this process: LZ4 (Flink's default) spent 4 % of its CPU on
        // decompressing it and saved nothing.
        memory.set(
                NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
                NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        env.configure(memory);
    }
}
