package io.scanwatch.job;

import io.scanwatch.job.sink.OutputSinks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * What to tell an operator whose savepoint does not fit the job. Flink refuses it deep in a chain of causes that a
 * failed submission does not print, naming the operator by a hash of a uid the new job no longer has.
 */
final class SavepointMismatch {
    private static final Pattern UNMAPPED =
            Pattern.compile("Cannot map checkpoint/savepoint state for operator ([0-9a-f]{32})");

    /** What Flink 2.2 puts before a sink's uid for its committer's. */
    static final String COMMITTER = "Sink Committer: ";

    private SavepointMismatch() {}

    /** What to tell, when the failure is a savepoint holding state of an operator the job does not have. */
    static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher unmapped = UNMAPPED.matcher(String.valueOf(t.getMessage()));
            if (unmapped.find()) {
                String id = unmapped.group(1);
                return Optional.of("the savepoint or checkpoint this start goes on from holds state of an operator"
                        + " this job does not have (Flink's id " + id + named(id) + "): enabling, disabling or"
                        + " reshaping a windowed rule changes its detector's uid (deploy/README.md), and each output"
                        + " the state was taken with (an output file of --alerts, --dead-letters,"
                        + " control.status-file keeps its place in the file there) has state of its own. Start with"
                        + " the configuration and outputs the state was taken with to keep it, or drop that"
                        + " operator's state and keep the rest: --allowNonRestoredState on 'flink run'"
                        + " (FLINK_ALLOW_NON_RESTORED_STATE=true for deploy/local/flink.sh), --set"
                        + " checkpointing.allow-non-restored-state=true for a stream of java -jar going on from its"
                        + " checkpoint");
            }
        }
        return Optional.empty();
    }

    /**
     * The output whose uid hashes to Flink's id, as Flink derives an operator's id from the uid it is given: a sink's
     * writer takes the sink's uid, its committer (Kafka's keep state) that uid after "Sink Committer: ".
     */
    private static String named(String id) {
        for (Map.Entry<String, String> output : OutputSinks.SETTING_BY_UID.entrySet()) {
            for (String uid : List.of(output.getKey(), COMMITTER + output.getKey())) {
                if (new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid))
                        .toHexString()
                        .equals(id)) {
                    return ": the output of " + output.getValue() + ", uid '" + uid + "'";
                }
            }
        }
        return "";
    }
}
