package io.scanwatch.job.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.net.Cidr;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The start-up configuration as the tree it was bound from, and what a live change laid over it makes. A change
 * may touch only what the running job can apply without a restart: thresholds, severities, techniques, suppression
 * and enabled flags of the windowed rules (a rule disabled at start has no operator to enable), additions to the
 * authorised scanners (their traffic is dropped where it is read), known scanners and the inventory. Everything
 * else shapes the job's graph or its state (windows, keys, what a rule reads) and is refused with the reason.
 */
public final class ConfigLayers implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where the loader comes from on a TaskManager: it knows every rule's section. */
    public interface LoaderFactory extends Supplier<ConfigLoader>, Serializable {}

    /** Rule keys that decide what a rule reads, how it keys or what its windows are: fixed while running. */
    private static final Set<String> FIXED_RULE_KEYS =
            Set.of("window", "slide", "tumbling", "count", "services", "ipv4-prefix", "ipv6-prefix", "sources");

    /** Sections that are not windowed rules and are read once at start. */
    private static final Set<String> FIXED_DETECTORS = Set.of("trw-scan");

    private static final String AUTHORIZED = "authorized-scanners";

    private static final String TIERS = "tiers";
    /** A tier's keys that shape the rule's state. */
    private static final List<String> TIER_SHAPE = List.of("window", "slide");

    private final String tree;
    private final LoaderFactory loaders;
    private transient ConfigLoader loader;
    private transient ObjectNode base;

    public ConfigLayers(ObjectNode tree, LoaderFactory loaders) {
        this.tree = tree.toString();
        this.loaders = loaders;
    }

    private ConfigLoader loader() {
        if (loader == null) {
            loader = loaders.get();
        }
        return loader;
    }

    private ObjectNode base() {
        if (base == null) {
            try {
                base = (ObjectNode) loader().mapper().readTree(tree);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the start-up configuration no longer parses", e);
            }
        }
        return base;
    }

    /**
     * The configuration with a change laid over the start-up one.
     *
     * @param change the change's {@code set} section, in the configuration file's shape, as JSON or YAML text
     * @throws ConfigException naming every key that cannot change while running, or that is invalid
     */
    public ScanwatchConfig with(String change) {
        JsonNode set;
        try {
            set = loader().mapper().readTree(change);
        } catch (JsonProcessingException e) {
            throw new ConfigException("'set' is not JSON: " + e.getOriginalMessage());
        }
        if (set == null || !set.isObject()) {
            throw new ConfigException("'set' must be a section of configuration keys, e.g. {\"network-scan\": {...}}");
        }
        List<String> errors = new ArrayList<>();
        Set<String> rules = new HashSet<>();
        loader().sections().forEach(section -> rules.add(section.key()));
        for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (!base().has(key)) {
                errors.add("'" + key + "': unknown configuration key (known: " + ConfigLoader.keys(base()) + ")"
                        + NearestKey.hint(key, ConfigLoader.keys(base())));
            } else if (rules.contains(key) && !FIXED_DETECTORS.contains(key)) {
                checkRule(key, value, base().path(key), errors);
            } else if (key.equals("network")) {
                checkNetwork(value, errors);
            } else if (!key.equals("known-scanners") && !key.equals("inventory")) {
                errors.add("'" + key + "' cannot change while the job runs: restart with it in the configuration file"
                        + " (live: rule thresholds and flags, network.authorized-scanners, known-scanners, inventory)");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException("change refused:\n  " + String.join("\n  ", errors));
        }
        return loader().load(merged(set));
    }

    /**
     * The configuration of a change {@link #with} accepted, bound again where it is applied, without the checks:
     * they read files (databases, the inventory), which a TaskManager need not see as the client did, and a change
     * that was accepted must not fail a running task.
     */
    public ScanwatchConfig accepted(String change) {
        try {
            return loader().bound(merged(loader().mapper().readTree(change)));
        } catch (JsonProcessingException e) {
            throw new ConfigException("an accepted change no longer parses: " + e.getOriginalMessage());
        }
    }

    private ObjectNode merged(JsonNode set) {
        ObjectNode merged = base().deepCopy();
        ConfigLoader.merge(merged, withTiersCompleted(set), "");
        return merged;
    }

    /**
     * The change with each tier's keys as they started where the change leaves them out: a list replaces the
     * start-up one whole, and a change of one threshold should not have to repeat the rest.
     */
    private JsonNode withTiersCompleted(JsonNode set) {
        JsonNode completed = set.deepCopy();
        completed.fields().forEachRemaining(section -> {
            JsonNode tiers = section.getValue().path(TIERS);
            JsonNode before = base().path(section.getKey()).path(TIERS);
            for (int i = 0; i < Math.min(tiers.size(), before.size()); i++) {
                if (tiers.get(i) instanceof ObjectNode tier) {
                    before.get(i).fields().forEachRemaining(key -> {
                        if (!tier.has(key.getKey())) {
                            tier.set(key.getKey(), key.getValue());
                        }
                    });
                }
            }
        });
        return completed;
    }

    private static void checkRule(String rule, JsonNode change, JsonNode start, List<String> errors) {
        if (!change.isObject()) {
            return; // the loader says what a section must be
        }
        change.fields().forEachRemaining(entry -> {
            String key = rule + "." + entry.getKey();
            JsonNode value = entry.getValue();
            JsonNode before = start.path(entry.getKey());
            if (namesUnknownKeys(entry.getKey(), value, start)) {
                // The loader names it, with the nearest known key: no such key cannot change either.
                return;
            }
            if (FIXED_RULE_KEYS.contains(entry.getKey()) && !sameSetting(value, before)) {
                errors.add("'" + key + "' cannot change while the job runs: it shapes the rule's windows, keys or"
                        + " input (restart with it in the configuration file)");
            } else if (entry.getKey().equals("enabled") && truthy(value) && !truthy(before)) {
                errors.add("'" + key + "': the rule was disabled at start, so it has no operator to enable;"
                        + " enable it in the configuration file and restart");
            } else if (entry.getKey().equals("sliding") && value.isObject()) {
                checkRule(rule + ".sliding", value, before, errors);
            } else if (entry.getKey().equals(TIERS) && before.isArray() && !sameWindows(value, before)) {
                errors.add("'" + key + "': tiers may change their thresholds only; give as many tiers as at start ("
                        + before.size() + "), in the same order, each with its window and slide as they were or without"
                        + " them (started with " + windows(before) + "): their number, windows and slides shape the"
                        + " rule's state (restart with new ones in the configuration file)");
            }
        });
    }

    /** Whether {@code key} of {@code section}, or a key within its value, is not one the start-up section has. */
    private static boolean namesUnknownKeys(String key, JsonNode value, JsonNode section) {
        JsonNode before = section.path(key);
        if (before.isMissingNode()) {
            return true;
        }
        if (!value.isObject() || !before.isObject()) {
            return false;
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (namesUnknownKeys(name, value.path(name), before)) {
                return true;
            }
        }
        return false;
    }

    /** As the loader reads a flag: true, or the text true in any case. */
    private static boolean truthy(JsonNode flag) {
        return flag.isBoolean() ? flag.booleanValue() : flag.asText().trim().equalsIgnoreCase("true");
    }

    /** Each tier's window and slide as at start, or left out (the start's then hold). */
    private static boolean sameWindows(JsonNode tiers, JsonNode before) {
        if (!tiers.isArray() || tiers.size() != before.size()) {
            return false;
        }
        for (int i = 0; i < tiers.size(); i++) {
            for (String key : TIER_SHAPE) {
                JsonNode value = tiers.get(i).path(key);
                if (!value.isMissingNode() && !sameSetting(value, before.get(i).path(key))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The start-up tiers' windows and slides, as a change may repeat them. */
    private static String windows(JsonNode tiers) {
        List<String> each = new ArrayList<>();
        tiers.forEach(tier -> each.add("{window: " + tier.path("window").asText() + ", slide: "
                + tier.path("slide").asText() + "}"));
        return "[" + String.join(", ", each) + "]";
    }

    /**
     * The same value, or the same duration however written ({@code 1h}, {@code 60m}, {@code PT1H}); a section the
     * same in each key it gives (it merges into the start-up one, whose other keys stay).
     */
    private static boolean sameSetting(JsonNode value, JsonNode before) {
        if (value.equals(before)) {
            return true;
        }
        if (value.isObject() && before.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!sameSetting(entry.getValue(), before.path(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (!value.isTextual() || !before.isTextual()) {
            return false;
        }
        try {
            return DurationText.parse(value.asText()).equals(DurationText.parse(before.asText()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The block as the book writes it ({@code 10.0.0.5} and {@code 10.0.0.5/32} are one); else the text. */
    private static String canonical(String block) {
        try {
            return Cidr.parse(block).canonical();
        } catch (IllegalArgumentException e) {
            return block.trim(); // the loader names it
        }
    }

    private void checkNetwork(JsonNode change, List<String> errors) {
        change.fieldNames().forEachRemaining(key -> {
            if (!base().path("network").has(key)) {
                List<String> known = ConfigLoader.keys((ObjectNode) base().path("network"));
                errors.add("'network." + key + "': unknown configuration key (known here: " + known + ")"
                        + NearestKey.hint(key, known));
            } else if (!key.equals(AUTHORIZED)) {
                errors.add("'network." + key + "' cannot change while the job runs: restart with it in the"
                        + " configuration file");
            }
        });
        JsonNode now = change.path(AUTHORIZED);
        if (now.isArray()) {
            Set<String> listed = new HashSet<>();
            now.forEach(entry -> listed.add(canonical(entry.asText())));
            base().path("network").path(AUTHORIZED).forEach(entry -> {
                if (!listed.contains(canonical(entry.asText()))) {
                    errors.add("'network." + AUTHORIZED + "' must keep " + entry.asText() + ": the start-up list is"
                            + " dropped where telemetry is read, so removing from it needs a restart");
                }
            });
        }
    }
}
