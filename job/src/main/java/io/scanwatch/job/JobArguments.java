package io.scanwatch.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.scanwatch.job.config.ConfigException;
import io.scanwatch.job.source.InputSpec;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The command line, read with picocli: every mistake is reported with what was expected, before anything starts. */
@Command(
        name = "scanwatch",
        mixinStandardHelpOptions = true,
        version = "scanwatch 0.1.0",
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Detects network scans and the logon attempts that follow them in connection and authentication"
                    + " telemetry: replays files (in batch mode, order-independent), or reads Kafka topics.",
            ""
        },
        subcommands = ReplayToKafka.class,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done (a replay or a bounded stream ended; a stream was handed to a cluster)",
            "1:the job failed: an output could not be written, or a task failed (the reason is printed)",
            "2:the command line, the configuration or an input is wrong (nothing was started)",
            "3:out of memory on a local run (the heap was still full after a full garbage collection, or a task"
                    + " ran out)",
            "130/143:stopped by Ctrl-C or SIGTERM (a local run says what it did first)",
            "137:killed (SIGKILL), often by the kernel's out-of-memory killer (the run could say nothing first)"
        })
final class JobArguments {
    @Option(
            names = "--input",
            paramLabel = "FORMAT[@ZONE]=PATH",
            converter = InputConverter.class,
            completionCandidates = Formats.class,
            description = "telemetry to replay; PATH may be a glob. ZONE (e.g. sshd@America/New_York=auth.log) is"
                    + " the zone of this input's times that carry none, instead of parsing.timezone (auto, netfilter,"
                    + " nfdump-csv, nfdump-json, sshd, syslog, windows-json). Formats: ${COMPLETION-CANDIDATES}")
    final List<InputSpec> inputs = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "configuration laid over the defaults")
    Path configFile;

    @Option(
            names = "--alerts",
            paramLabel = "FILE.jsonl",
            description = "write alerts there, in time order (instead" + " of standard output; with Kafka, as well)")
    Path alertsFile;

    @Option(
            names = "--dead-letters",
            paramLabel = "FILE.jsonl",
            description = "write records that could not be used there")
    Path deadLettersFile;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            converter = ParallelismConverter.class,
            description = "parallelism of the job (default: the cluster's; locally the cores, at most 8)")
    Integer parallelism;

    @Option(
            names = "--streaming",
            description = "replay files as a stream (watermarks, lateness, state as from Kafka) instead of in batch"
                    + " mode, where the order of records does not matter")
    boolean streaming;

    @Option(names = "--quiet", description = "no progress and no summary on standard error")
    boolean quiet;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            converter = SetConverter.class,
            description = "override one configuration key, e.g. network-scan.attempts-above=200")
    final List<Map.Entry<String, String>> sets = new ArrayList<>();

    @Option(
            names = "--internal-cidrs",
            paramLabel = "A,B",
            description = "shorthand for --set network.internal-cidrs=[A,B]; replaces the default private ranges,"
                    + " so name those you use too")
    String internalCidrs;

    @Option(
            names = "--authorized-scanners",
            paramLabel = "A,B",
            description = "shorthand for --set network.authorized-scanners=[A,B]")
    String authorizedScanners;

    @Option(
            names = "--kafka-bootstrap",
            paramLabel = "HOST:PORT",
            description = "read the telemetry topics and write alerts to Kafka (kafka.* in the configuration);"
                    + " shorthand for --set kafka.bootstrap-servers=HOST:PORT")
    String kafkaBootstrap;

    @Option(
            names = "--search-url",
            paramLabel = "URL",
            description = "index alerts into Elasticsearch or OpenSearch (search.* in the configuration), instead of"
                    + " standard output (--alerts FILE still writes the file); shorthand for --set search.urls=URL")
    String searchUrl;

    /** {@code a,b} as a YAML list of texts: a block such as {@code ::/0} is no plain YAML value. */
    private static String quotedList(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(","))
                .map(item -> quoted(item.trim()))
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    /** As YAML text, whatever it holds: {@code [::1]:9092} unquoted would be read as a list. */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The configuration overrides: the shorthands, then every {@code --set}, in order (of two {@code --set} of one key
     * the last wins). A shorthand and a {@code --set} of its key are refused: which was meant cannot be told, and one
     * would be dropped without a word.
     */
    Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> givenBy = new LinkedHashMap<>();
        shorthand(overrides, givenBy, "network.internal-cidrs", "--internal-cidrs", internalCidrs, true);
        shorthand(overrides, givenBy, "network.authorized-scanners", "--authorized-scanners", authorizedScanners, true);
        shorthand(overrides, givenBy, "kafka.bootstrap-servers", "--kafka-bootstrap", kafkaBootstrap, false);
        shorthand(overrides, givenBy, "search.urls", "--search-url", searchUrl, true);
        for (Map.Entry<String, String> set : sets) {
            // A section given whole merges into the configuration: it clashes only where it holds the shorthand's key.
            givenBy.forEach((key, option) -> {
                if (key.equals(set.getKey())
                        || key.startsWith(set.getKey() + ".")
                                && holds(
                                        set.getValue(),
                                        key.substring(set.getKey().length() + 1))) {
                    throw new ConfigException(option + " and --set " + set.getKey() + " both set " + key
                            + (key.equals(set.getKey()) ? "" : " (in its section)") + ": give it once");
                }
            });
            overrides.put(set.getKey(), set.getValue());
        }
        return overrides;
    }

    /** Whether a section given as YAML holds a dotted key; a value that is not YAML is left to the loader to tell. */
    private static boolean holds(String yaml, String dottedKey) {
        try {
            JsonNode node = new YAMLMapper().readTree(yaml);
            for (String part : dottedKey.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            return node != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void shorthand(
            Map<String, String> overrides,
            Map<String, String> givenBy,
            String key,
            String option,
            String value,
            boolean list) {
        if (value != null) {
            overrides.put(key, list ? quotedList(value) : quoted(value));
            givenBy.put(key, option);
        }
    }

    /** {@code KEY=VALUE}: the key up to the first {@code =}, the value after it (which may hold more). */
    static final class SetConverter implements ITypeConverter<Map.Entry<String, String>> {
        @Override
        public Map.Entry<String, String> convert(String value) {
            int split = value.indexOf('=');
            if (split <= 0) {
                throw new TypeConversionException(
                        "--set takes KEY=VALUE, e.g. --set network-scan.attempts-above=200; got '" + value + "'");
            }
            return Map.entry(value.substring(0, split).trim(), value.substring(split + 1));
        }
    }

    /** {@code FORMAT[@ZONE]=PATH}, with the message of {@link InputSpec#parse} when it is not one. */
    static final class InputConverter implements ITypeConverter<InputSpec> {
        @Override
        public InputSpec convert(String value) {
            try {
                return InputSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The formats, for the help text. */
    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TelemetryFormat.values())
                    .map(TelemetryFormat::id)
                    .iterator();
        }
    }

    static final class ParallelismConverter implements ITypeConverter<Integer> {
        /** Flink's bound: keyed state is spread over at most this many key groups. */
        static final int MAX_PARALLELISM = KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM;

        @Override
        public Integer convert(String value) {
            try {
                int parallelism = Integer.parseInt(value);
                if (parallelism >= 1 && parallelism <= MAX_PARALLELISM) {
                    return parallelism;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException(
                    "--parallelism takes a whole number from 1 to " + MAX_PARALLELISM + ", got '" + value + "'");
        }
    }
}
