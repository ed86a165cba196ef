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
    /** Asked once: the library's check runs in a static initializer, and a second try only says that it failed. */
    private static final Optional<String> REFUSAL = ask();

    private SketchRuntime() {}

    /** Why sketches cannot run on this JVM, with what to change; empty when they can. */
    public static Optional<String> refusal() {
        return REFUSAL;
    }

    private static Optional<String> ask() {
        try {
            DistinctSketch.empty();
            return Optional.empty();
        } catch (ExceptionInInitializerError e) {
            // The version check throws this; any other failure is not about the Java version.
            if (!(e.getCause() instanceof IllegalArgumentException refused)) {
                throw e;
            }
            return Optional.of("this JVM is Java " + Runtime.version() + " (" + System.getProperty("java.home")
                    + "), which Apache DataSketches' memory library refuses (\"" + refused.getMessage()
                    + "\"): run scanwatch with Java 17 or 21");
        }
    }
}
