package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipInputStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job against real public captures in {@code ../shared/datasets} (read in place, never copied): the known
 * scanners are found, the known non-scanner is not. Skipped, saying why, where the datasets are absent.
 */
class DatasetValidationITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private Path datasets;

    @BeforeEach
    void requireDatasets() {
        datasets = Testdata.datasets();
        assumeTrue(
                datasets != null,
                "shared/datasets is not beside this checkout: validation against public captures skipped");
    }

    private List<JsonNode> replay(String... args) throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--alerts", alerts.toString(), "--quiet"));
        summary(all.toArray(String[]::new));
        return AlertsFile.read(alerts);
    }

    /** Runs the job at parallelism 2; what it wrote to standard error. */
    private static String summary(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--parallelism", "2"));
        int status =
                new ScanwatchJob(new PrintStream(err, true, StandardCharsets.UTF_8)).run(all.toArray(String[]::new));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Set<String> scopesOf(List<JsonNode> alerts, String source) {
        return alerts.stream()
                .filter(a -> a.at("/source/ip").asText().equals(source))
                .map(a -> a.at("/rule/name").asText() + " "
                        + a.at("/scanwatch/scope").asText())
                .collect(Collectors.toSet());
    }

    /**
     * Stratosphere lab capture: one client running nmap sweeps, a block scan and per-host port scans. The last, 100
     * ports of 10.0.2.3 beside 40 of another host in one window, is a block, which continues the block episode open
     * since 15:32: no vertical scan of 10.0.2.3 hiding the other host's 40 ports as strays.
     */
    @Test
    void findsTheNmapScannerInTheStratospherePortScanCapture() throws Exception {
        List<JsonNode> alerts =
                replay("--input", "zeek-conn=" + datasets.resolve("stratosphere_nmap_scan_zeek_json/conn.log"));
        assertThat(alerts)
                .allSatisfy(a -> assertThat(a.at("/source/ip").asText()).isEqualTo("172.16.1.11"));
        assertThat(scopesOf(alerts, "172.16.1.11"))
                .containsExactlyInAnyOrder(
                        "network_scan horizontal:icmp,80,443",
                        "network_scan block",
                        "network_scan vertical:192.168.1.155");
    }

    /**
     * The same capture and the C2 loop with the random walk on: the sweeper of internal hosts is named within five
     * failures, as the walk ships and walking every destination; the loop (its destinations are on the Internet, so
     * walked only then) is not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"internal", "any"})
    void theRandomWalkNamesTheNmapSweeperAndNotTheC2Loop(String destinations) throws Exception {
        List<JsonNode> alerts = replay(
                "--input",
                "zeek-conn=" + datasets.resolve("stratosphere_nmap_scan_zeek_json/conn.log"),
                "--input",
                "zeek-conn="
                        + datasets.resolve(
                                "slips_small_samples/negative_control_ctu-sme-11_c2_reconnects_conn.log.labeled"),
                "--set",
                "trw-scan.enabled=true",
                "--set",
                "trw-scan.destinations=" + destinations);
        List<JsonNode> walks = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("trw_scan"))
                .toList();
        assertThat(walks).singleElement().satisfies(walk -> {
            assertThat(walk.at("/source/ip").asText()).isEqualTo("172.16.1.11");
            assertThat(walk.at("/scanwatch/walk/failures").asLong()).isLessThanOrEqualTo(5);
        });
    }

    /** CTU-50: exposed hosts on a public range; 104.156.155.13 walks ~800 ports of two of them in one night. */
    @Test
    void findsTheEightHundredPortScannerInTheCtu50Captures() throws Exception {
        Path ctu = datasets.resolve("stratosphere_ctu50_internet_scans_zeek_labeled");
        List<JsonNode> alerts = replay(
                "--input",
                "zeek-conn=" + ctu.resolve("008-zeek-mixed/conn.log.labeled"),
                "--input",
                "zeek-conn=" + ctu.resolve("011-zeek-mixed/conn.log.labeled"),
                "--input",
                "zeek-conn=" + ctu.resolve("010-zeek-mixed/conn.log.labeled"),
                "--internal-cidrs",
                "147.32.0.0/16");
        assertThat(scopesOf(alerts, "104.156.155.13"))
                .contains("network_scan vertical:147.32.81.167", "network_scan vertical:147.32.83.165");
        assertThat(scopesOf(alerts, "51.89.192.233")).containsExactly("network_scan vertical:147.32.83.234");
        assertThat(alerts)
                .allSatisfy(a -> assertThat(a.at("/network/direction").asText()).isIn("inbound", "outbound"));
        // The three servers replayed together: a window that crossed a threshold only over two of them (10 ports of one
        // and 9 of another) is a block whose evidence shows both, never one host's part below the threshold. Past the
        // cap a host's part is a sample, its counts flagged as lower bounds.
        List<JsonNode> exact = alerts.stream()
                .filter(a ->
                        !a.at("/scanwatch/window/distinct_ports_lower_bound").asBoolean())
                .toList();
        assertThat(exact).hasSizeGreaterThan(alerts.size() / 2);
        assertThat(exact)
                .allSatisfy(a -> assertThat(crossesItsThreshold(a))
                        .as(
                                "%s %s %s",
                                a.at("/rule/name").asText(),
                                a.at("/scanwatch/scope").asText(),
                                a.at("/scanwatch/window"))
                        .isTrue());
        assertThat(scopesOf(alerts, "104.156.155.13")).contains("network_scan block");
    }

    /** The default thresholds of the rules of the network-scan family, read in an alert's window. */
    private static boolean crossesItsThreshold(JsonNode alert) {
        JsonNode window = alert.at("/scanwatch/window");
        long hosts = window.at("/distinct_hosts").asLong();
        long ports = window.at("/distinct_ports").asLong();
        return switch (alert.at("/rule/name").asText()) {
            case "network_scan" ->
                hosts > 20 || ports >= 15 || window.at("/attempts").asLong() > 100;
            case "slow_scan", "distributed_scan" -> hosts > 50 || ports >= 50;
            default -> true;
        };
    }

    /**
     * CTU-50, one day of one exposed host per file. The patient scanners (79.124.62.34 about 100 ports a day, never
     * 10 in an hour; its neighbours .86 and .110; 218.75.31.110) are found by the slow tier, once each per day; the
     * night-long 104.156.155.13 is one episode however its probes fall into windows; Censys' /24s, whose members
     * each touch a handful of ports, are found as networks; the monitored hosts' own traffic raises nothing.
     */
    @ParameterizedTest
    @CsvSource({
        "008-zeek-mixed, 147.32.81.167, '79.124.62.34,79.124.62.86,79.124.62.110,218.75.31.110,104.156.155.13',"
                + " '162.142.125.0/24,167.94.138.0/24,167.248.133.0/24,79.124.62.0/24'",
        "010-zeek-mixed, 147.32.83.234, '79.124.62.34', '162.142.125.0/24,167.94.138.0/24,167.248.133.0/24'",
        "011-zeek-mixed, 147.32.83.165, '79.124.62.34,79.124.62.86,79.124.62.110,218.75.31.110,104.156.155.13',"
                + " '162.142.125.0/24,167.94.138.0/24,167.248.133.0/24,79.124.62.0/24'"
    })
    void findsEachDaysPatientAndDistributedScannersOnce(
            String day, String host, String slowScanners, String distributedNetworks) throws Exception {
        Path ctu = datasets.resolve("stratosphere_ctu50_internet_scans_zeek_labeled");
        List<JsonNode> alerts = replay(
                "--input",
                "zeek-conn=" + ctu.resolve(day + "/conn.log.labeled"),
                "--internal-cidrs",
                "147.32.0.0/16",
                "--set",
                "distributed-portscan.enabled=true");

        for (String scanner : slowScanners.split(",")) {
            List<JsonNode> episodes = alerts.stream()
                    .filter(a -> a.at("/source/ip").asText().equals(scanner))
                    .filter(a -> a.at("/scanwatch/alert_kind").asText().equals("new"))
                    .toList();
            assertThat(episodes)
                    .as(scanner + " found once, whichever tier saw it first")
                    .hasSize(1);
            assertThat(episodes.get(0).at("/scanwatch/scope").asText()).isEqualTo("vertical:" + host);
            assertThat(alerts)
                    .filteredOn(a -> a.at("/source/ip").asText().equals(scanner))
                    .as("its roll-ups belong to the same episode")
                    .allSatisfy(a -> assertThat(a.at("/scanwatch/episode_id").asText())
                            .isEqualTo(
                                    episodes.get(0).at("/scanwatch/episode_id").asText()));
        }
        assertThat(alerts)
                .filteredOn(a -> a.at("/source/ip").asText().equals("79.124.62.34"))
                .allSatisfy(a -> assertThat(a.at("/rule/name").asText()).isEqualTo("slow_scan"));

        List<JsonNode> networks = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("distributed_scan"))
                .toList();
        assertThat(networks).extracting(a -> a.at("/source/address").asText()).contains(distributedNetworks.split(","));
        assertThat(networks).allSatisfy(a -> {
            assertThat(a.at("/source/ip").isMissingNode())
                    .as("a network is no address")
                    .isTrue();
            assertThat(a.at("/scanwatch/members/distinct_sources").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(a.at("/related/ip")).isNotEmpty();
            assertThat(a.at("/scanwatch/members/top/0/attempts").asInt()).isPositive();
        });
        JsonNode censys = networks.stream()
                .filter(a -> a.at("/source/address").asText().equals("162.142.125.0/24"))
                .reduce((first, next) -> next)
                .orElseThrow();
        assertThat(censys.at("/scanwatch/members/distinct_sources").asInt())
                .as("Censys used dozens of addresses of its /24 that day")
                .isGreaterThan(30);

        assertThat(alerts)
                .filteredOn(a -> a.at("/rule/name").asText().equals("distributed_portscan"))
                .as("twice in three days, some 60 DigitalOcean machines from a dozen networks probed over 60 ports"
                        + " of the host in ten minutes; the day's other background probes stay below")
                .hasSize(day.equals("008-zeek-mixed") ? 0 : 1)
                .allSatisfy(a -> {
                    assertThat(a.at("/scanwatch/scope").asText()).isEqualTo("vertical:" + host);
                    assertThat(a.at("/scanwatch/members/distinct_sources").asInt())
                            .isGreaterThan(50);
                    assertThat(a.at("/related/ip").toString()).contains("64.227.");
                });
        assertThat(alerts)
                .as("the monitored host's own connections are not a scan")
                .noneSatisfy(a -> assertThat(a.at("/source/ip").asText()).startsWith("147.32."));
    }

    /**
     * ip-location-db (CC BY 4.0; its publisher warns of known data errors, so this checks reading real databases,
     * not the facts themselves): alerts of a CTU day carry their source's country and autonomous system.
     */
    @Test
    void alertsCarryTheirSourcesCountryAndAutonomousSystem() throws Exception {
        Path ctu = datasets.resolve("stratosphere_ctu50_internet_scans_zeek_labeled");
        Path db = datasets.resolve("ip_location_db");
        List<JsonNode> alerts = replay(
                "--input",
                "zeek-conn=" + ctu.resolve("010-zeek-mixed/conn.log.labeled"),
                "--internal-cidrs",
                "147.32.0.0/16",
                "--set",
                "enrichment.mmdb=[" + db.resolve("geo-whois-asn-country.mmdb") + "]",
                "--set",
                "enrichment.asn-csv=[" + db.resolve("asn-ipv4.csv") + ", " + db.resolve("asn-ipv6.csv") + "]");
        assertThat(alerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.at("/source/geo/country_iso_code").asText()).hasSize(2);
            assertThat(a.at("/source/as/number").asLong()).isPositive();
        });
        assertThat(alerts)
                .filteredOn(a -> a.at("/source/ip").asText().equals("79.124.62.34"))
                .isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.at("/source/geo/country_iso_code").asText()).isEqualTo("BG");
                    assertThat(a.at("/source/as/number").asLong()).isEqualTo(207812);
                });
        assertThat(alerts)
                .filteredOn(a -> a.at("/source/address").asText().equals("162.142.125.0/24"))
                .as("a network's facts are those of its first address")
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.at("/source/as/organization/name").asText())
                        .isEqualTo("Censys, Inc."));
    }

    /**
     * A damaged database (its search tree overwritten, its metadata whole) opens as a good one does and finds
     * nothing: every alert then lacks a country, which reads as a source of unknown country. The summary says so.
     */
    @Test
    void aDamagedGeoDatabaseIsNamedInTheSummary() throws Exception {
        Path mmdb = datasets.resolve("ip_location_db/geo-whois-asn-country.mmdb");
        Path damaged = dir.resolve("damaged.mmdb");
        byte[] bytes = Files.readAllBytes(mmdb);
        java.util.Arrays.fill(bytes, 0, bytes.length / 2, (byte) 0);
        Files.write(damaged, bytes);
        assertThat(ctuDayWith(mmdb))
                .containsPattern("enrichment +[1-9][0-9,]* alerts' sources found, 0 not found, 0 lookups failed")
                .doesNotContain("none found");
        assertThat(ctuDayWith(damaged))
                .containsPattern("enrichment +0 alerts' sources found")
                .contains("none found: public addresses are in every GeoIP and AS database");
    }

    /** The summary of a CTU day enriched from {@code mmdb}. */
    private String ctuDayWith(Path mmdb) throws Exception {
        return summary(
                "--input",
                "zeek-conn="
                        + datasets.resolve(
                                "stratosphere_ctu50_internet_scans_zeek_labeled/010-zeek-mixed/conn.log.labeled"),
                "--alerts",
                dir.resolve("enriched.jsonl").toString(),
                "--internal-cidrs",
                "147.32.0.0/16",
                "--set",
                "enrichment.mmdb=[" + mmdb + "]");
    }

    /** Slips: a real nmap vertical scan of scanme.nmap.org, and a RemcosRAT C2 reconnect loop that is not a scan. */
    @Test
    void findsTheSlipsVerticalScanAndNotTheC2ReconnectLoop() throws Exception {
        Path slips = datasets.resolve("slips_small_samples");
        List<JsonNode> alerts = replay(
                "--input", "zeek-conn=" + slips.resolve("portscan_vertical_nmap_conn.json.log"),
                "--input", "zeek-conn=" + slips.resolve("negative_control_ctu-sme-11_c2_reconnects_conn.log.labeled"));
        assertThat(scopesOf(alerts, "192.168.1.9")).containsExactly("network_scan vertical:45.33.32.156");
        assertThat(scopesOf(alerts, "192.168.1.107")).as("C2 reconnect loop").isEmpty();
        assertThat(alerts)
                .as("nor does either tier or the network view see a scan elsewhere")
                .allSatisfy(a -> assertThat(a.at("/source/ip").asText()).isEqualTo("192.168.1.9"));
    }

    /**
     * OTRF (MIT): PurpleSharp on WORKSTATION5 sweeps SMB and WinRM on three hosts amid its Kerberos and LDAP chatter
     * with the DC, then logs on to them over the network. Three hosts are below any sane default, so the
     * thresholds are lowered as an analyst hunting would; the sweep's windows are then dominated by the DC traffic.
     */
    @Test
    void correlatesTheOtrfSweepWithTheNetworkLogonsThatFollow() throws Exception {
        Path otrf =
                datasets.resolve("otrf_windows_spray_sweep_logon/purplesharp_ad_playbook_I.network_logon_subset.jsonl");
        List<JsonNode> alerts = replay(
                "--input",
                "windows-json=" + otrf,
                "--internal-cidrs",
                "172.18.0.0/16",
                "--set",
                "network-scan.distinct-hosts-above=2",
                "--set",
                "network-scan.sliding.enabled=false");
        assertThat(scopesOf(alerts, "172.18.39.5"))
                .contains("scan_then_logon_success ")
                .anyMatch(s -> s.startsWith("network_scan "));
        JsonNode logon = alerts.stream()
                .filter(a -> a.at("/rule/name").asText().equals("scan_then_logon_success"))
                .findFirst()
                .orElseThrow();
        assertThat(logon.at("/scanwatch/logons/users").toString()).contains("pgustavo");
        assertThat(alerts)
                .as("the DC's Sysmon writes the datagrams it received from its own port: never a scan by the DC")
                .allSatisfy(a -> assertThat(a.at("/source/ip").asText()).isEqualTo("172.18.39.5"));
        long connections = connectionsFrom(otrf, "172.18.39.5");
        assertThat(alerts)
                .filteredOn(a -> a.at("/rule/name").asText().equals("network_scan"))
                .as(
                        "each of the workstation's %d connections counted once, though up to four hosts' loggers wrote"
                                + " it",
                        connections)
                .allSatisfy(
                        a -> assertThat(a.at("/scanwatch/attempts").asLong()).isBetween(1L, connections));
    }

    /**
     * The whole PurpleSharp capture (26,000 events) at the default thresholds: its workstation's Kerberos, LDAP, DNS,
     * SMB and WinRM chatter with the DC, each connection written by up to four loggers, counted "more than 100
     * attempts" as a scan; its three-host sweep is below every default.
     */
    @Test
    void theOtrfWorkstationsChatterWithItsDomainControllerIsNoScan() throws Exception {
        Path events = dir.resolve("purplesharp.json");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(
                datasets.resolve("otrf_windows_spray_sweep_logon/purplesharp_ad_playbook_I.host.zip")))) {
            assertThat(zip.getNextEntry()).isNotNull();
            Files.copy(zip, events);
        }
        Path alerts = dir.resolve("alerts.jsonl");
        String summary = summary(
                "--input", "auto=" + events, "--internal-cidrs", "172.18.0.0/16", "--alerts", alerts.toString());
        assertThat(AlertsFile.read(alerts)).as(summary).isEmpty();
        assertThat(summary).contains("Windows records      323 read as 109 connections");
    }

    /** The connections {@code from} made, each once however many loggers wrote it: by protocol and its port. */
    private static long connectionsFrom(Path windowsEvents, String from) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> connections = new HashSet<>();
        for (String line : Files.readAllLines(windowsEvents)) {
            JsonNode event = json.readTree(line);
            String source =
                    event.path("SourceAddress").asText(event.path("SourceIp").asText());
            String destination =
                    event.path("DestAddress").asText(event.path("DestinationIp").asText());
            String protocol = switch (event.path("Protocol").asText()) {
                case "6" -> "tcp";
                case "17" -> "udp";
                default -> event.path("Protocol").asText();
            };
            if (source.equals(from)) {
                connections.add(protocol + " " + destination + " "
                        + event.path("SourcePort").asText());
            }
        }
        return connections.size();
    }
}
