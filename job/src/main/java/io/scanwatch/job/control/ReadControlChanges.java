package io.scanwatch.job.control;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.config.ConfigLayers;
import io.scanwatch.job.metrics.JobCounters;
import io.scanwatch.job.model.ControlChange;
import io.scanwatch.job.model.ControlRecord;
import io.scanwatch.job.model.ControlStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each control record ({@code {"version": ..., "from": ..., "set": {...}}}) and checks its change as the
 * start-up configuration is checked, laid over it ({@link ConfigLayers#with}). An accepted change goes on to every
 * operator that applies it; a rejected one goes nowhere, so the running rules stay. Either way its status goes to
 * {@link #STATUS} and is counted ({@code control.changes.accepted|rejected}).
 */
public class ReadControlChanges extends ProcessFunction<ControlRecord, ControlChange> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadControlChanges.class);

    public static final OutputTag<ControlStatus> STATUS = new OutputTag<>("control-status") {};

    private static final Set<String> KEYS = Set.of("version", "from", "set");
    private static final int MAX_VERSION_CHARS = 128;
    /** Reads only the version of a line the strict reader refused. */
    private static final JsonMapper LENIENT = new JsonMapper();
    /** Epoch milliseconds of March 1973 and of the year 9999: a number outside is in other units, or nonsense. */
    private static final long EARLIEST = 100_000_000_000L;

    private static final long LATEST = 253_402_300_799_999L;

    private final ConfigLayers layers;
    private transient ObjectMapper json;
    private transient JobCounters counters;
    /**
     * The accepted changes by their time, with the keys each sets: the newest {@link ControlTimeline#KEPT}, of those
     * read since the job started, to count and name those the timelines forget (every timeline gets the changes
     * this one instance sends, in its order). Not in state: after a restore it counts anew.
     */
    private transient TreeMap<Long, SetKeys> kept;

    public ReadControlChanges(ConfigLayers layers) {
        this.layers = layers;
    }

    @Override
    public void open(OpenContext openContext) {
        // Strict: a duplicated key or text after the document is a mistake to report, not to guess at.
        json = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        counters = new JobCounters(getRuntimeContext());
        kept = new TreeMap<>();
    }

    @Override
    public void processElement(ControlRecord record, Context ctx, Collector<ControlChange> out) {
        String version = null;
        long from = Long.MIN_VALUE;
        try {
            if (record.text.isBlank()) {
                return;
            }
            // A byte order mark, as editors on some systems write it before a file's first line.
            String text = record.text.startsWith("\uFEFF") ? record.text.substring(1) : record.text;
            JsonNode document = json.readTree(text);
            if (document == null || !document.isObject()) {
                throw new ConfigException("a control record is a JSON object {\"version\", \"from\", \"set\"}");
            }
            version = document.path("version").asText("");
            for (Iterator<String> keys = document.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!KEYS.contains(key)) {
                    throw new ConfigException("unknown key '" + key + "' (known: version, from, set)");
                }
            }
            if (version.isBlank() || version.length() > MAX_VERSION_CHARS) {
                throw new ConfigException("'version' must name the change (1 to " + MAX_VERSION_CHARS
                        + " characters): alerts raised under it carry it");
            }
            from = from(document.path("from"), record.written);
            if (!document.path("set").isObject()) {
                throw new ConfigException("'set' is missing: a section of configuration keys, e.g."
                        + " {\"network-scan\": {\"distinct-hosts-above\": 10}}");
            }
            String set = document.get("set").toString();
            layers.with(set);
            ControlChange change = ControlChange.of(version, from, set);
            counters.get("control", "changes", "accepted").inc();
            SetKeys keys = SetKeys.of(version, document.get("set"));
            String note = keys.droppedFrom(kept.containsKey(from) ? kept.get(from) : valueOf(kept.lowerEntry(from)));
            kept.put(from, keys);
            if (kept.size() > ControlTimeline.KEPT) {
                long forgotten = kept.pollFirstEntry().getKey();
                counters.get("control", "changes", "forgotten").inc();
                LOG.warn(
                        "more than {} control changes: the one from {} is forgotten, its windows are judged by an"
                                + " older configuration",
                        ControlTimeline.KEPT,
                        Instant.ofEpochMilli(forgotten));
            }
            LOG.info("control change {} accepted, from {} ({})", version, Instant.ofEpochMilli(from), record.origin);
            if (note != null) {
                LOG.warn("control change {}: {}", version, note);
            }
            ctx.output(STATUS, ControlStatus.accepted(change, note, record.origin));
            out.collect(change);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reject(readableVersion(record.text), from, "not JSON: " + e.getOriginalMessage(), record, ctx);
        } catch (RuntimeException e) {
            // A configuration error names its key; anything else a change provokes is refused just the same.
            reject(version, from, e instanceof ConfigException ? e.getMessage() : e.toString(), record, ctx);
        }
    }

    private static SetKeys valueOf(Map.Entry<Long, SetKeys> entry) {
        return entry == null ? null : entry.getValue();
    }

    /**
     * The version of a line refused as JSON, when a lenient reading finds one (a duplicated key, text after the
     * object): its status then names the change the operator wrote.
     */
    private static String readableVersion(String text) {
        try {
            JsonNode version = LENIENT.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text)
                    .path("version");
            // Held to the limits an accepted version meets: it is written to the statuses and the log.
            return version.isTextual()
                            && !version.asText().isBlank()
                            && version.asText().length() <= MAX_VERSION_CHARS
                    ? version.asText()
                    : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private void reject(String version, long from, String reason, ControlRecord record, Context ctx) {
        counters.get("control", "changes", "rejected").inc();
        LOG.warn("control change {} rejected ({}): {}", version, record.origin, reason);
        ctx.output(STATUS, ControlStatus.rejected(version, from, reason, record.origin));
    }

    /** An ISO-8601 instant or epoch milliseconds; absent: when the record was written (for a file: from the start). */
    private static long from(JsonNode from, long written) {
        if (from.isMissingNode() || from.isNull()) {
            return written;
        }
        if (from.isIntegralNumber()) {
            if (!from.canConvertToLong() || from.asLong() > LATEST || from.asLong() < EARLIEST) {
                throw new ConfigException("'from' as a number is epoch milliseconds from 1973 to 9999, got "
                        + from.asText()
                        + (from.canConvertToLong() && Math.abs(from.asLong()) < EARLIEST
                                ? " (seconds? give milliseconds or a time such as 2026-11-30T08:00:00Z)"
                                : ""));
            }
            return from.asLong();
        }
        long time;
        try {
            time = Instant.parse(from.asText()).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ConfigException(
                    "'from' must be a time such as 2026-11-30T08:00:00Z, got '" + from.asText() + "'");
        }
        if (time > LATEST) {
            throw new ConfigException("'from' must be a time before the year 10000, got '" + from.asText() + "'");
        }
        return time;
    }
}
