package io.scanwatch.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StageCpuTest {
    @Test
    void threadsAreCountedByTheirTaskWithoutTheSubtask() {
        assertThat(StageCpu.stage("Source Data Fetcher for Source: file: zeek-conn a.log -> route telemetry (1/2)#0"))
                .isEqualTo("reading and parsing (the sources' split fetchers)");
        assertThat(StageCpu.stage("Source: file: zeek-conn a.log -> route telemetry -> (select source) (2/2)#0"))
                .isEqualTo("routing (the sources' task threads)");
        assertThat(StageCpu.stage("detect distributed-scan (sliding PT24H) (1/2)#0"))
                .isEqualTo(StageCpu.stage("detect distributed-scan (sliding PT24H) (2/2)#1"))
                .isEqualTo("detect distributed-scan (sliding PT24H)");
        assertThat(StageCpu.stage("SortMerger sorting thread")).isEqualTo("Flink's sorting threads (batch)");
        assertThat(StageCpu.stage("flink-pekko.actor.default-dispatcher-7"))
                .isEqualTo("the cluster's own threads (RPC, scheduling, I/O)");
    }

    /** A task's thread ends with its job, before the run is over: its time is kept all the same. */
    @Test
    void aThreadThatEndedBeforeTheStopIsCounted() throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        StageCpu cpu = StageCpu.start();
        AtomicLong spent = new AtomicLong(-1);
        CountDownLatch end = new CountDownLatch(1);
        Thread task = new Thread(
                () -> {
                    long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
                    while (threads.getCurrentThreadCpuTime() < until) {
                        // busy: the thread's own time is what its stage must show
                    }
                    spent.set(threads.getCurrentThreadCpuTime());
                    try {
                        end.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "detect something (1/1)#0");
        task.start();
        // The thread ends once the sampler has read all its time: a thread's time goes with it, and a sampler held
        // off the CPU on a busy machine would miss the last of it.
        Instant deadline = Instant.now().plusSeconds(60);
        while (spent.get() < 0 || cpu.seen(task.getId()) < spent.get()) {
            assertThat(Instant.now()).as("the sampler reads the thread's time").isBefore(deadline);
            Thread.onSpinWait();
        }
        end.countDown();
        task.join();

        Map<String, Double> stages = cpu.stop();

        // Waiting on the latch costs the thread next to nothing.
        assertThat(stages.get("detect something")).isBetween(spent.get() / 1e9, spent.get() / 1e9 + 0.01);
    }
}
