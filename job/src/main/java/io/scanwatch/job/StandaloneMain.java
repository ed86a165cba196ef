package io.scanwatch.job;

import io.scanwatch.job.runtime.Relaunch;

/**
 * The standalone jar's entry: the job's command line, in a JVM with the replay's JIT settings ({@link Relaunch}). A
 * class of its own, loaded before the job's: deciding costs this JVM no logging or JSON classes.
 */
public final class StandaloneMain {
    private StandaloneMain() {}

    public static void main(String[] args) {
        Relaunch.run(args, System.err).ifPresent(System::exit);
        ScanwatchJob.main(args);
    }
}
