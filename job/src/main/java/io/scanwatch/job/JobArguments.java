package io.scanwatch.job;

import io.scanwatch.job.source.InputSpec;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line. Every mistake is reported with what was expected, before anything starts. */
public final class JobArguments {
    static final String USAGE = String.join(
            "\n",
            "usage: scanwatch [--input FORMAT=PATH ...] [--kafka-bootstrap HOST:PORT] [options]",
            "  --input FORMAT=PATH         telemetry to replay; PATH may be a glob. Formats: " + formats(),
            "  --config FILE.yaml          configuration laid over the defaults (scanwatch-defaults.yaml)",
            "  --set KEY=VALUE             override one configuration key, e.g. network-scan.attempts-above=200",
            "  --internal-cidrs A,B        shorthand for --set network.internal-cidrs=[A,B]",
            "  --authorized-scanners A,B   shorthand for --set network.authorized-scanners=[A,B]",
            "  --kafka-bootstrap HOST:PORT read the telemetry topics and write alerts to Kafka (topics: kafka.* in the",
            "                              configuration); shorthand for --set kafka.bootstrap-servers=HOST:PORT",
            "  --alerts FILE.jsonl         write alerts there, in time order (instead of standard output; with Kafka, too)",
            "  --dead-letters FILE.jsonl   write records that could not be used there",
            "  --parallelism N             parallelism of the job (default: the cluster's; locally the cores, at most 8)",
            "  --streaming                 replay files as a stream (watermarks, lateness, state as from Kafka)",
            "                              instead of in batch mode, where the order of records does not matter",
            "  --quiet                     no progress and no summary on standard error");

    private static String formats() {
        return java.util.Arrays.stream(io.scanwatch.parse.catalog.TelemetryFormat.values())
                .map(io.scanwatch.parse.catalog.TelemetryFormat::id)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    final List<InputSpec> inputs = new ArrayList<>();
    final Map<String, String> overrides = new LinkedHashMap<>();
    Path configFile;
    Path alertsFile;
    Path deadLettersFile;
    Integer parallelism;
    boolean quiet;
    boolean streaming;

    /** Thrown for a command line that cannot run; the message says why. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static JobArguments parse(String... args) {
        JobArguments parsed = new JobArguments();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--quiet")) {
                parsed.quiet = true;
                continue;
            }
            if (option.equals("--streaming")) {
                parsed.streaming = true;
                continue;
            }
            if (option.equals("--help") || option.equals("-h")) {
                throw new UsageException("");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(
                        option.startsWith("--") ? option + " needs a value" : "unexpected '" + option + "'");
            }
            String value = args[++i];
            try {
                parsed.accept(option, value);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return parsed;
    }

    private void accept(String option, String value) {
        switch (option) {
            case "--input":
                inputs.add(InputSpec.parse(value));
                break;
            case "--config":
                configFile = Paths.get(value);
                break;
            case "--set":
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--set takes KEY=VALUE, got '" + value + "'");
                }
                overrides.put(value.substring(0, eq), value.substring(eq + 1));
                break;
            case "--internal-cidrs":
                overrides.put("network.internal-cidrs", "[" + value + "]");
                break;
            case "--kafka-bootstrap":
                overrides.put("kafka.bootstrap-servers", value);
                break;
            case "--authorized-scanners":
                overrides.put("network.authorized-scanners", "[" + value + "]");
                break;
            case "--alerts":
                alertsFile = Paths.get(value);
                break;
            case "--dead-letters":
                deadLettersFile = Paths.get(value);
                break;
            case "--parallelism":
                try {
                    parallelism = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    parallelism = 0;
                }
                if (parallelism < 1) {
                    throw new IllegalArgumentException(
                            "--parallelism takes a whole number of at least 1, got '" + value + "'");
                }
                break;
            default:
                throw new IllegalArgumentException("unknown option '" + option + "'");
        }
    }
}
