package io.scanwatch.job.runtime;

import io.scanwatch.sketch.SketchRuntime;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * Stops a task whose TaskManager runs a Java that Apache DataSketches refuses. Without it, the first sketch failed
 * with "Could not initialize class ...BaseWritableMemoryImpl" and the cluster's restart strategy restarted the job
 * without end, the client printing "0 alerts so far". Called where the operators that first meet records or
 * sketches open; the failure it raises is one Flink does not restart, and says what to change.
 */
public final class TaskManagerJava {
    private TaskManagerJava() {}

    /** Throws {@link Unsupported} when this JVM cannot run sketches. */
    public static void check() {
        SketchRuntime.refusal().ifPresent(refusal -> {
            throw new Unsupported(
                    "a TaskManager cannot run scanwatch: " + refusal + " (the cluster's TaskManagers need it too)");
        });
    }

    /**
     * Not retried: a restart lands on the same TaskManagers and fails the same way. On a cluster of mixed Javas (a
     * rolling upgrade) that also ends a stream a retry might have placed elsewhere; it can resume from its retained
     * checkpoint (submitted with it) once the TaskManagers run a Java that sketches accept.
     */
    @ThrowableAnnotation(ThrowableType.NonRecoverableError)
    public static final class Unsupported extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }
}
