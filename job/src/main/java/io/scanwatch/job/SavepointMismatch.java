package io.scanwatch.job;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to tell an operator whose savepoint does not fit the job. Flink refuses it deep in a chain of causes that a
 * failed submission does not print, naming the operator by a hash of a uid the new job no longer has.
 */
final class SavepointMismatch {
    private static final Pattern UNMAPPED =
            Pattern.compile("Cannot map checkpoint/savepoint state for operator ([0-9a-f]{32})");

    private SavepointMismatch() {}

    /** What to tell, when the failure is a savepoint holding state of an operator the job does not have. */
    static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher unmapped = UNMAPPED.matcher(String.valueOf(t.getMessage()));
            if (unmapped.find()) {
                return Optional.of("the savepoint holds state of an operator this job does not have (Flink's id "
                        + unmapped.group(1) + "): enabling, disabling or reshaping a windowed rule changes its"
                        + " detector's uid (deploy/README.md), and an output file the state was taken with"
                        + " (--alerts, --dead-letters, control.status-file) keeps its place in the file there. Submit"
                        + " with the configuration and outputs the savepoint was taken with to keep that state, or"
                        + " drop it with --allowNonRestoredState on 'flink run'"
                        + " (FLINK_ALLOW_NON_RESTORED_STATE=true for deploy/local/flink.sh)");
            }
        }
        return Optional.empty();
    }
}
