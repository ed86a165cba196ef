package io.scanwatch.job.detect;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Transport;
import io.scanwatch.job.config.ConfigChecks;
import io.scanwatch.job.config.RuleConfig;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code <service>_scan_internal_external}: an internal host reaching many distinct external hosts on one
 * service's ports (MongoDB first among them). Keyed by source and service, so each service is its own scan.
 */
public final class ServiceScanRule extends WindowedRule<ProbeTally> {
    private static final long serialVersionUID = 1L;
    private static final char KEY_SEPARATOR = '|';

    /**
     * A service by name, the ports it listens on, and which attempts count: every one by default (reaching ten
     * MongoDB servers is not something a client does), or {@code probes}, those that exchanged no data.
     */
    public static final class Service implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final List<Integer> ports;
        private CountMode count = CountMode.ALL;

        @JsonCreator
        public Service(@JsonProperty("name") String name, @JsonProperty("ports") List<Integer> ports) {
            this.name = name;
            this.ports = ports;
        }

        public String name() {
            return name;
        }

        public List<Integer> ports() {
            return ports;
        }

        public CountMode count() {
            return count;
        }

        public void setCount(CountMode count) {
            this.count = count;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Service service
                    && Objects.equals(name, service.name)
                    && Objects.equals(ports, service.ports)
                    && count == service.count;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, ports, count);
        }

        @Override
        public String toString() {
            return "Service[name=" + name + ", ports=" + ports + ", count=" + count + "]";
        }
    }

    /** The {@code service-scan} section's own keys. */
    public record Settings(int minDistinctHosts, Duration window, Duration slide, List<Service> services)
            implements Serializable {
        static void check(Settings settings, ConfigChecks checks, int cap) {
            checks.atLeast("min-distinct-hosts", settings.minDistinctHosts(), 1);
            checks.belowCap("min-distinct-hosts", settings.minDistinctHosts(), cap);
            checks.window(settings.window(), settings.slide());
            Set<String> names = new HashSet<>();
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < settings.services().size(); i++) {
                Service service = settings.services().get(i);
                ConfigChecks entry = checks.section("services[" + i + "]");
                if (service.name() == null || !service.name().matches("[a-z0-9_]+")) {
                    entry.fail("name", "must be lower-case letters, digits or '_', got '" + service.name() + "'");
                } else if (!names.add(service.name())) {
                    entry.fail("name", "'" + service.name() + "' is listed twice");
                }
                if (service.count() == null) {
                    entry.fail("count", "expected probes or all");
                }
                if (service.ports() == null || service.ports().isEmpty()) {
                    entry.fail("ports", "must list at least one port");
                    continue;
                }
                for (Integer port : service.ports()) {
                    if (port == null || port < 1 || port > 65535) {
                        entry.fail("ports:", port + " is not a port (1-65535)");
                    } else if (!ports.add(port)) {
                        entry.fail("ports:", "port " + port + " belongs to two services");
                    }
                }
            }
        }
    }

    public static final RuleKind<Settings> KIND = new RuleKind<>(
            "service-scan",
            Settings.class,
            Settings::check,
            (config, context) -> List.of(new ServiceScanRule(config, context.distinctCap())));

    private final int minDistinctHosts;
    private final Map<Integer, Service> serviceByPort = new HashMap<>();

    public ServiceScanRule(RuleConfig<Settings> config, int distinctCap) {
        super(
                "service-scan",
                config.own().window(),
                config.own().slide(),
                config.common(),
                Tallies.ofProbes(distinctCap));
        this.minDistinctHosts = config.own().minDistinctHosts();
        for (Service service : config.own().services()) {
            for (Integer port : service.ports()) {
                serviceByPort.put(port, service);
            }
        }
    }

    public static String ruleName(String service) {
        return service + "_scan_internal_external";
    }

    @Override
    public long minimumEvents() {
        return minDistinctHosts;
    }

    @Override
    public boolean accepts(ConnectionEvent event) {
        if (event.direction != Direction.INTERNAL_EXTERNAL
                || event.transport != Transport.TCP && event.transport != Transport.UDP) {
            return false;
        }
        Service service = serviceByPort.get(event.destinationPort);
        return service != null && service.count().counts(event);
    }

    @Override
    public String key(ConnectionEvent event) {
        return event.sourceIp
                + KEY_SEPARATOR
                + serviceByPort.get(event.destinationPort).name();
    }

    @Override
    public Detection evaluate(String key, ProbeTally window, long windowStart, long windowEnd) {
        if (window.hosts.distinct() < minDistinctHosts) {
            return null;
        }
        int split = key.lastIndexOf(KEY_SEPARATOR);
        Detection detection =
                detection(ruleName(key.substring(split + 1)), key.substring(0, split), window, windowStart, windowEnd);
        detection.sourceInternal = true;
        detection.networkDirection = Direction.INTERNAL_EXTERNAL.ecs();
        return detection;
    }
}
