package io.scanwatch.job.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration: bundled defaults, then an optional YAML file laid over them, then {@code key=value}
 * overrides. Unknown keys, unreadable values and values that cannot work all fail with the key named.
 */
public final class ConfigLoader {
    /** Where SnakeYAML marks a problem, on a line of its own before the quoted line and a caret under the place. */
    private static final Pattern MARK = Pattern.compile(" in '[^']*', line (\\d+), column (\\d+):");

    private static final String DEFAULTS = "/scanwatch-defaults.yaml";

    /** Where the rule sections are gathered for binding; the user writes each at the top level. */
    private static final String RULES = "rules";
    /**
     * Sections whose names are not scanwatch's but another program's, dots included (Kafka's client settings):
     * {@code --set kafka.properties.security.protocol=SSL} names the setting {@code security.protocol} in it.
     */
    private static final java.util.Set<String> OPEN_SECTIONS = java.util.Set.of("kafka.properties");
    /** Where YAML starts a comment: a '#' after white space. */
    private static final Pattern COMMENT = Pattern.compile("\\s#");
    /** How YAML 1.1 writes an octal number: 054 is 44. */
    private static final Pattern OCTAL = Pattern.compile("[-+]?0[0-7_]+");
    /**
     * A key with a colon inside: {@code {topic:x}} is the key "topic:x", since YAML ends a key only at a colon followed
     * by a space; with no value, it was meant as a key and its value (the binding would say that topic is missing).
     */
    private static final Pattern GLUED_KEY = Pattern.compile("[^:\\s]+:[^:\\s].*");

    private final ObjectMapper yaml;
    private final List<? extends RuleSection<?>> rules;

    /** @param rules every rule's section: each binds its own settings from the section of its key */
    public ConfigLoader(List<? extends RuleSection<?>> rules) {
        this.rules = List.copyOf(rules);
        yaml = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // A single value where a list is expected is a list of one: --set network.internal-cidrs=10.0.0.0/8
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .addModule(new SimpleModule()
                        .addDeserializer(Duration.class, new DurationText())
                        .addDeserializer(RuleConfigs.class, new RuleConfigsReader(this.rules)))
                .build();
    }

    ObjectMapper mapper() {
        return yaml;
    }

    List<? extends RuleSection<?>> sections() {
        return rules;
    }

    public ScanwatchConfig defaults() {
        return load(null, Map.of());
    }

    /**
     * @param file a YAML file laid over the defaults, or null
     * @param overrides dotted keys ({@code network-scan.attempts-above}) with YAML values ({@code 200}, {@code [a, b]})
     */
    public ScanwatchConfig load(Path file, Map<String, String> overrides) {
        return load(tree(file, overrides));
    }

    /** The defaults with the file and the overrides laid over them, before binding: what live changes start from. */
    public ObjectNode tree(Path file, Map<String, String> overrides) {
        ObjectNode tree = readDefaults();
        if (file != null) {
            merge(tree, readFile(file), "");
        }
        overrides.forEach((key, value) -> override(tree, key, value));
        return tree;
    }

    /**
     * Binds a configuration tree (left as it was) without checking it: for a tree that was checked before, where
     * the checks' file reads (databases, inventory) must not run again.
     */
    ScanwatchConfig bound(ObjectNode tree) {
        return bind(tree.deepCopy());
    }

    /** Binds and checks a configuration tree (left as it was). */
    public ScanwatchConfig load(ObjectNode tree) {
        ScanwatchConfig config = bind(tree.deepCopy());
        List<String> errors = config.validate(rules);
        if (!errors.isEmpty()) {
            throw new ConfigException("invalid configuration:\n  " + String.join("\n  ", errors));
        }
        return config;
    }

    private ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("bundled " + DEFAULTS + " is unreadable", e);
        }
    }

    private JsonNode readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("configuration file " + file + " does not exist or is not readable");
        }
        try {
            refuseUnread(yaml.getFactory().createParser(file.toFile()), "configuration file " + file);
            JsonNode node = yaml.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return yaml.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("configuration file " + file + " must hold a YAML mapping at the top");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration file " + file + " is not valid YAML: " + yamlProblem(e));
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Objects merge key by key; anything else (lists included) replaces the default. */
    static void merge(ObjectNode target, JsonNode source, String path) {
        source.fields().forEachRemaining(entry -> {
            JsonNode existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode && entry.getValue().isObject()) {
                merge((ObjectNode) existing, entry.getValue(), path + entry.getKey() + ".");
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        });
    }

    private void override(ObjectNode tree, String key, String value) {
        String[] parts = key.split("\\.", -1);
        if (Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new ConfigException(
                    "--set " + key + ": not a configuration key (keys look like network-scan.attempts-above)");
        }
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            String section = String.join(".", Arrays.copyOf(parts, i));
            if (OPEN_SECTIONS.contains(section)) {
                parts = openSectionKey(parts, i);
                break;
            }
            JsonNode child = node.get(parts[i]);
            String prefix = String.join(".", Arrays.copyOf(parts, i + 1));
            if (child != null && !(child instanceof ObjectNode)) {
                // e.g. Flink's own key, state.backend.type, for scanwatch's state.backend
                throw new ConfigException(
                        "--set " + key + ": '" + prefix + "' is a value, not a section: --set " + prefix + "=VALUE");
            }
            if (child == null) {
                throw new ConfigException("--set " + key + ": unknown configuration key '" + prefix + "' (known here: "
                        + keys(node) + ")" + NearestKey.hint(parts[i], keys(node)));
            }
            node = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (!node.has(leaf) && !OPEN_SECTIONS.contains(String.join(".", Arrays.copyOf(parts, parts.length - 1)))) {
            throw new ConfigException("--set " + key + ": unknown configuration key '" + key + "' (known here: "
                    + keys(node) + ")" + NearestKey.hint(leaf, keys(node)));
        }
        try {
            refuseUnread(yaml.getFactory().createParser(value), "--set " + key);
            JsonNode parsed = value.isEmpty() ? yaml.getNodeFactory().textNode("") : yaml.readTree(value);
            if (COMMENT.matcher(value).find()
                    && (parsed == null || !parsed.toString().contains("#"))) {
                // A secret or a pattern with " #" in it would be cut there without a word.
                throw new ConfigException("--set " + key + ": in YAML ' #' starts a comment, which would cut the"
                        + " value there; quote it: --set '" + key + "=\"" + value.replace("\"", "\\\"") + "\"'");
            }
            JsonNode existing = node.get(leaf);
            if (existing instanceof ObjectNode section && parsed != null && parsed.isObject()) {
                // A section given whole merges into the section, as a file's does: its other keys keep their values.
                merge(section, parsed, key + ".");
            } else {
                node.set(leaf, parsed == null ? yaml.getNodeFactory().nullNode() : parsed);
            }
        } catch (IOException e) {
            throw new ConfigException("--set " + key + ": '" + value + "' is not a YAML value");
        }
    }

    /** The key's parts up to an open section, then the rest of it as one name. */
    private static String[] openSectionKey(String[] parts, int section) {
        String[] joined = Arrays.copyOf(parts, section + 1);
        joined[section] = String.join(".", Arrays.copyOfRange(parts, section, parts.length));
        return joined;
    }

    /**
     * Refuses what Jackson would read otherwise than written: a YAML alias ({@code *name}) is read as the text of its
     * anchor's name, not as the value anchored (a label would silently become {@code name}), of a stream of
     * documents ({@code ---} between them) only the first is read, a number with a leading zero is octal, and a key
     * written without a space after its colon is one key with no value.
     */
    private static void refuseUnread(JsonParser parser, String where) throws IOException {
        try (parser) {
            int depth = 0;
            int documents = 0;
            String glued = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (((YAMLParser) parser).isCurrentAlias()) {
                    throw new ConfigException(
                            where + ": line " + parser.currentLocation().getLineNr()
                                    + " refers to an anchor (*" + parser.getText()
                                    + "); YAML aliases are not read here: write the value out");
                }
                if (token == JsonToken.VALUE_NUMBER_INT
                        && OCTAL.matcher(parser.getText()).matches()) {
                    throw new ConfigException(
                            where + ": line " + parser.currentLocation().getLineNr() + ": "
                                    + parser.getText() + " is read as the octal number " + parser.getLongValue()
                                    + " (YAML 1.1): write it without the leading zero, or quoted for text");
                }
                if (token.isStructEnd()) {
                    depth--;
                    continue;
                }
                if (depth == 0 && token == JsonToken.VALUE_NULL) {
                    // An empty document: a file closed by --- holds one, as generators write them.
                    continue;
                }
                if (depth == 0 && ++documents > 1) {
                    throw new ConfigException(
                            where + ": line " + parser.currentLocation().getLineNr()
                                    + " starts a second YAML document (after ---), which would not be read: put its keys in"
                                    + " the first");
                }
                if (token == JsonToken.VALUE_NULL && glued != null) {
                    int colon = glued.indexOf(':');
                    throw new ConfigException(
                            where + ": line " + parser.currentLocation().getLineNr() + ": '"
                                    + glued + "' is read as one key with no value: YAML needs a space after the colon ("
                                    + glued.substring(0, colon) + ": " + glued.substring(colon + 1) + ")");
                }
                glued = token == JsonToken.FIELD_NAME
                                && GLUED_KEY.matcher(parser.currentName()).matches()
                        ? parser.currentName()
                        : null;
                if (token.isStructStart()) {
                    depth++;
                }
            }
        }
    }

    static List<String> keys(ObjectNode node) {
        List<String> known = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(known::add);
        return known;
    }

    /**
     * An empty item in a list ({@code [~]}, a bare {@code -} in a file) would bind as null, which no check expects:
     * refused by its key.
     */
    private static void refuseEmptyItems(JsonNode node, String key) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    throw new ConfigException("configuration key '" + key + "[" + i + "]': an empty list item");
                }
                refuseEmptyItems(node.get(i), key + "[" + i + "]");
            }
        } else if (node.isObject()) {
            node.properties()
                    .forEach(field -> refuseEmptyItems(
                            field.getValue(), key.isEmpty() ? field.getKey() : key + "." + field.getKey()));
        }
    }

    private ScanwatchConfig bind(ObjectNode tree) {
        refuseEmptyItems(tree, "");
        if (tree.has(RULES)) {
            throw new ConfigException("configuration key '" + RULES + "': unknown key (rule sections such as "
                    + rules.get(0).key() + " stand at the top level)");
        }
        ObjectNode sections = tree.putObject(RULES);
        for (RuleSection<?> rule : rules) {
            JsonNode section = tree.remove(rule.key());
            if (section != null) {
                sections.set(rule.key(), section);
            }
        }
        try {
            return yaml.treeToValue(tree, ScanwatchConfig.class);
        } catch (JsonMappingException e) {
            String key = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[")
                    .replaceFirst("^" + RULES + "\\.", "");
            throw new ConfigException("configuration key '" + key + "': " + describe(e, tree));
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration cannot be read: " + e.getOriginalMessage());
        }
    }

    /** The node at the first {@code steps} steps of the failing key's path. */
    private static JsonNode nodeAt(JsonNode tree, JsonMappingException e, int steps) {
        JsonNode node = tree;
        for (JsonMappingException.Reference ref : e.getPath().subList(0, steps)) {
            node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
        }
        return node;
    }

    /**
     * Whether the dotted key could be written nested under {@code parent}: none of its leading parts is a list or a
     * value there ('network.internal-cidrs.extra' cannot). Past a part the configuration does not have, nothing is
     * known, and nesting is suggested.
     */
    private static boolean nests(JsonNode parent, String dotted) {
        String[] parts = dotted.split("\\.");
        JsonNode node = parent;
        for (int i = 0; i < parts.length - 1 && !node.isMissingNode(); i++) {
            node = node.path(parts[i]);
            if (!node.isMissingNode() && !node.isObject()) {
                return false;
            }
        }
        return true;
    }

    /** The value the user wrote at the failing key, as they would write it; null when they wrote none. */
    private static String valueAt(JsonNode tree, JsonMappingException e) {
        JsonNode node = nodeAt(tree, e, e.getPath().size());
        if (node.isMissingNode()) {
            return null;
        }
        if (node.isNull()) {
            return "nothing";
        }
        String text = node.isValueNode() ? node.asText() : node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** What was expected and what was given, in the configuration's words rather than Java's. */
    private String describe(JsonMappingException e, ObjectNode tree) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = new java.util.ArrayList<>();
            unknown.getKnownPropertyIds().forEach(id -> known.add(id.toString()));
            if (e.getPath().size() == 1) {
                // The rule sections stand at the top level of what the user writes, not under "rules".
                known.remove(RULES);
                rules.forEach(rule -> known.add(rule.key()));
            }
            String name = unknown.getPropertyName();
            String nesting =
                    name.contains(".") && nests(nodeAt(tree, e, e.getPath().size() - 1), name)
                            ? "; in a file, keys nest ('" + name.replace(".", ":' then '") + ":' indented under it),"
                                    + " the dotted form is --set's"
                            : "";
            return "unknown key" + nesting + " (known here: " + known + ")" + NearestKey.hint(name, known);
        }
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            String message = e.getOriginalMessage();
            int newline = message.indexOf('\n');
            return newline < 0 ? message : message.substring(0, newline);
        }
        String given = valueAt(tree, e);
        if (given == null) {
            return "is missing (expected " + expected(target, e) + ")";
        }
        String section = given.startsWith("{") ? " (a section where a value belongs)" : "";
        return "expected " + expected(target, e) + ", got '" + given + "'" + section;
    }

    private static String expected(Class<?> type, JsonMappingException at) {
        if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a positive duration such as 90s, 5m or 1h (at most a year)";
        }
        if (type == String.class) {
            return "text";
        }
        if (Map.class.isAssignableFrom(type)) {
            List<JsonMappingException.Reference> path = at.getPath();
            boolean clientSettings = !path.isEmpty()
                    && "properties".equals(path.get(path.size() - 1).getFieldName());
            return "a section of names and values such as "
                    + (clientSettings ? "{security.protocol: SSL}" : "{zeek-conn: 5m}");
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list such as [a, b]";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> c.toString().toLowerCase().replace('_', '-'))
                            .toList();
        }
        if (type.isRecord()) {
            return "a section with keys "
                    + Arrays.stream(type.getRecordComponents())
                            .map(c -> PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(c.getName()))
                            .toList();
        }
        return type.getSimpleName();
    }

    /**
     * SnakeYAML's problems and the lines and columns they mark, on one line, without the quoted lines and carets;
     * Jackson's own location is the token before the one that failed.
     */
    private static String yamlProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (!MARK.matcher(message).find()) {
            return message + location(e);
        }
        StringBuilder problem = new StringBuilder();
        for (String line : message.split("\n")) {
            Matcher mark = MARK.matcher(line);
            if (mark.matches()) {
                problem.append(" (line ")
                        .append(mark.group(1))
                        .append(", column ")
                        .append(mark.group(2))
                        .append(')');
            } else if (!line.startsWith("    ") && !line.isBlank()) {
                problem.append(problem.length() == 0 ? "" : "; ").append(line.trim());
            }
        }
        return problem.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}
