package io.scanwatch.sketch;

import java.util.Optional;

/**
 * Whether this JVM runs Apache DataSketches at all. Its memory library checks the Java version when its first sketch
 * is made, and refuses any but 8, 11, 17 and 21: on Java 25 a job started its cluster and failed in its first
 * detector with the library's one-line "Unsupported JDK Major Version". Asked at start-up, the same check says what
 * to change before anything runs. The library itself is asked, not a copy of its list, so that a release that
 * accepts more versions needs no change here.
 */
public final class SketchRuntime {
    private SketchRuntime() {}

    /** Why sketches cannot run on this JVM, with what to change; empty when they can. */
    public static Optional<String> refusal() {
        try {
            DistinctSketch.empty();
            return Optional.empty();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of("this JVM is Java " + Runtime.version() + " (" + System.getProperty("java.home")
                    + "), which Apache DataSketches' memory library refuses (\"" + cause.getMessage()
                    + "\"): run scanwatch with Java 17 or 21");
        }
    }
}
