package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real tools' output ({@code testdata/captures}, made by {@code make-captures.sh}): an nmap connect scan, a masscan
 * SYN scan, an nmap UDP scan, an internal client's downloads and a LAN resolver answering Internet hosts, captured
 * between network namespaces and exported by nfpcapd as one-way NetFlow records. The records are paired into
 * conversations before any rule judges them, so the connect scan is a connscan, and neither the downloads, whose
 * client records alone look like aborted handshakes, nor the resolver's answers raise anything.
 */
class RealCaptureITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    @TempDir
    Path dir;

    private final JobRun job = new JobRun();

    private List<String> alerts(String name, String input, String... more) throws Exception {
        Path alerts = dir.resolve(name + ".jsonl");
        List<String> args = new ArrayList<>(List.of("--input", input, "--alerts", alerts.toString()));
        args.addAll(List.of("--parallelism", "2"));
        args.addAll(List.of(more));
        job.succeeds(args);
        assertThat(job.err()).containsPattern("late events +0").containsPattern("dead letters +0");
        return AlertsFile.summaries(AlertsFile.read(alerts));
    }

    @Test
    void nfpcapdExportsGiveTheGroundTruth() throws Exception {
        Path golden = Testdata.file("captures/expected-alerts.tsv");
        List<String> csv = alerts("csv", "nfdump-csv=" + Testdata.file("captures/nfpcapd-flows.csv"));
        if (Boolean.getBoolean("scanwatch.update-golden")) {
            Files.write(golden, csv);
        }
        assertThat(csv).containsExactlyElementsOf(Files.readAllLines(golden));
        assertThat(alerts("json", "nfdump-json=" + Testdata.file("captures/nfpcapd-flows.json")))
                .as("the same flows printed as JSON")
                .containsExactlyElementsOf(csv);
        assertThat(csv).noneMatch(alert -> alert.contains("10.30.5.10"));
        assertThat(csv)
                .as("the resolver's answers to 26 hosts are not a sweep by the resolver")
                .noneMatch(alert -> alert.contains("10.30.0.1\t"));
        assertThat(job.err()).containsPattern("one-way flows +[0-9,]+ paired");
    }

    /**
     * The same capture exported by Debian 13's nfdump 1.7.5 ({@code make-nfdump-1.7.5.sh}), which names its CSV
     * columns and writes one JSON object per line with {@code -o ndjson}: the same ground truth.
     */
    @Test
    void nfdump175ExportsGiveTheGroundTruth() throws Exception {
        List<String> golden = Files.readAllLines(Testdata.file("captures/expected-alerts.tsv"));
        assertThat(alerts("csv175", "nfdump-csv=" + Testdata.file("captures/nfdump-1.7.5-flows.csv")))
                .containsExactlyElementsOf(golden);
        assertThat(alerts("ndjson175", "auto=" + Testdata.file("captures/nfdump-1.7.5-flows.ndjson")))
                .containsExactlyElementsOf(golden);
        assertThat(job.err()).containsPattern("nfdump-json +[0-9,]+ parsed");
    }

    /**
     * The same capture read by Debian 13's Suricata 7.0 ({@code make-suricata.sh}), whose flow events hold both
     * directions, written when each flow ends (out of start order). The scanners are found as from the NetFlow export,
     * count for count: the UDP probes refused by an ICMP port unreachable among them, which Suricata counts as packets
     * back without the flow becoming established (they were read as answered, and the scan lost three hosts). One
     * alert more, and not the tools' difference: the capture keeps 128 bytes of each packet, Suricata drops the cut
     * ones (its decoder counts them invalid), the downloads' data among them, so that 10.30.5.10's sessions show no
     * data and read as connect probes; nfpcapd reads the cut packets' headers.
     */
    @Test
    void suricataReadingTheSameCaptureFindsTheSameScanners() throws Exception {
        List<String> golden = Files.readAllLines(Testdata.file("captures/expected-alerts.tsv"));
        List<String> eve = alerts("eve", "suricata-eve=" + Testdata.file("captures/suricata-7.0-eve.json"));
        assertThat(eve.stream().filter(alert -> !alert.contains("\t10.30.5.10\t")))
                .containsExactlyElementsOf(golden);
        assertThat(alerts("eve-auto", "auto=" + Testdata.file("captures/suricata-7.0-eve.json")))
                .as("recognised under auto")
                .containsExactlyElementsOf(eve);
    }

    /**
     * A collector's syslog file and the journal's export of the same run ({@code make-syslog.sh}): Debian 13's
     * OpenSSH 10, which logs as sshd-session, and the kernel's netfilter LOG lines, one after another. The scanner's
     * dropped SYNs and its password guesses are one story; the administrator's login is nothing.
     */
    @Test
    void aCollectorsSyslogFileAndTheJournalGiveTheGroundTruth() throws Exception {
        Path golden = Testdata.file("captures/expected-syslog-alerts.tsv");
        Path collector = Testdata.file("captures/collector-syslog.log");
        List<String> auto = alerts("auto", "auto=" + collector);
        if (Boolean.getBoolean("scanwatch.update-golden")) {
            Files.write(golden, auto);
        }
        assertThat(auto).containsExactlyElementsOf(Files.readAllLines(golden));
        long dropped = Files.readAllLines(collector).stream()
                .filter(line -> line.contains("DROP-IN"))
                .count();
        assertThat(job.err())
                .as("every dropped SYN read as netfilter, and sshd-session's lines as sshd")
                .containsPattern("netfilter +" + dropped + " parsed, 0 skipped")
                .containsPattern("sshd +[1-9][0-9]* parsed");
        assertThat(alerts("syslog", "syslog=" + collector))
                .as("the file named as syslog")
                .containsExactlyElementsOf(auto);
        assertThat(alerts("journal", "auto=" + Testdata.file("captures/journal.json")))
                .as("journalctl -o json of the same run")
                .containsExactlyElementsOf(auto);
        assertThat(job.err()).containsPattern("netfilter +" + dropped + " parsed, 0 skipped");
        assertThat(auto).noneMatch(alert -> alert.contains("10.40.8.9"));
    }

    @Test
    void shuffledRecordsAndAStreamingRunInFileOrderGiveTheSameAlerts() throws Exception {
        Path tidy = Testdata.file("captures/nfpcapd-flows.csv");
        List<String> expected = alerts("tidy", "nfdump-csv=" + tidy);

        List<String> lines = Files.readAllLines(tidy, StandardCharsets.UTF_8);
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.shuffle(rows, new Random(7));
        rows.add(0, lines.get(0));
        Path shuffled = dir.resolve("shuffled.csv");
        Files.write(shuffled, rows, StandardCharsets.UTF_8);
        assertThat(alerts("shuffled", "nfdump-csv=" + shuffled)).containsExactlyElementsOf(expected);

        Path twice = dir.resolve("twice.csv");
        List<String> doubled = new ArrayList<>(lines);
        doubled.addAll(rows.subList(1, rows.size()));
        Files.write(twice, doubled, StandardCharsets.UTF_8);
        assertThat(alerts("twice", "nfdump-csv=" + twice))
                .as("every record exported twice (two routers on the path)")
                .containsExactlyElementsOf(expected);

        assertThat(alerts("streaming", "nfdump-csv=" + tidy, "--streaming"))
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}
