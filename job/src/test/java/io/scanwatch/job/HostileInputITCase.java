package io.scanwatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.job.testing.AlertsFile;
import io.scanwatch.job.testing.ChildJvm;
import io.scanwatch.job.testing.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a hostile but fair user might feed the job, beside a good capture, through the whole job with
 * {@code --dead-letters}: the job completes, every record read is accounted for as parsed, skipped or dead letter,
 * the dead-letter file is valid UTF-8 JSON lines, and the good records give exactly the alerts they give alone.
 */
class HostileInputITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestCluster.twoSlots();

    private static final Path GOOD = Testdata.file("telemetry/zeek/edge-conn.json.log");
    private static final String EMOJI = "\uD83D\uDE00";

    @TempDir
    Path dir;

    private final JobRun job = new JobRun();

    private int replay(Path alerts, Path deadLetters, String... inputs) throws Exception {
        List<String> args = JobRun.demo(alerts, List.of(inputs));
        args.addAll(List.of("--dead-letters", deadLetters.toString()));
        return job.run(args);
    }

    @Test
    void hostileInputCostsOnlyItselfAndEveryRecordIsAccountedFor() throws Exception {
        Path alone = dir.resolve("alone.jsonl");
        assertThat(replay(alone, dir.resolve("alone-dead.jsonl"), "--input", "zeek-conn=" + GOOD))
                .isZero();

        List<String> inputs = new ArrayList<>(List.of("--input", "zeek-conn=" + GOOD));
        for (Path hostile :
                List.of(randomBytes(), brokenText(), emptyFields(), nested(), hugeLine(), truncatedGzip())) {
            inputs.add("--input");
            inputs.add("auto=" + hostile);
        }
        inputs.add("--input");
        inputs.add("zeek-conn=" + emptyFields());
        Path alerts = dir.resolve("alerts.jsonl");
        Path dead = dir.resolve("dead.jsonl");
        int status = replay(alerts, dead, inputs.toArray(String[]::new));
        String summary = job.err();
        assertThat(status).as(summary).isZero();

        assertThat(AlertsFile.summaries(AlertsFile.read(alerts)))
                .as("the good capture's alerts, no more, no fewer")
                .containsExactlyElementsOf(AlertsFile.summaries(AlertsFile.read(alone)));

        long read = number(summary, "records read +([\\d,]+)");
        long accounted = 0;
        long deadLetters = 0;
        Matcher format = Pattern.compile("([\\d,]+) parsed, ([\\d,]+) skipped, ([\\d,]+) dead letters")
                .matcher(summary);
        while (format.find()) {
            accounted += parse(format.group(1)) + parse(format.group(2)) + parse(format.group(3));
            deadLetters += parse(format.group(3));
        }
        assertThat(accounted).as(summary).isEqualTo(read);
        List<String> lines = Files.readAllLines(dead, StandardCharsets.UTF_8);
        assertThat((long) lines.size()).isEqualTo(deadLetters);
        assertThat(number(summary, "dead letters +([\\d,]+)")).isEqualTo(deadLetters);
        assertThat(summary)
                .as("says where they are")
                .containsPattern("dead letters +[\\d,]+ \\(in " + Pattern.quote(dead.toString()) + "\\)");
        assertThat(summary).containsPattern("broken inputs +1 ");
        String all = String.join("\n", lines);
        assertThat(all)
                .contains("the input breaks off after this point")
                .contains("line longer than")
                .contains("missing ts")
                .doesNotContain("\uD83D\"");
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"format\":"));
        assertThat(dead.toFile().length())
                .as("dead letters keep a bounded part of each record")
                .isLessThan(20_000_000);
    }

    /**
     * A Zeek conn log given as {@code zeek-ssh}: every record is skipped as not an SSH record, which would end the run
     * with no alert and no dead letter, looking fine. The summary says that nothing was parsed, and what to do.
     */
    @Test
    void filesGivenTheWrongFormatAreNamedInTheSummary() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        assertThat(replay(alerts, dir.resolve("dead.jsonl"), "--input", "zeek-ssh=" + GOOD))
                .isZero();
        assertThat(job.err())
                .containsPattern("zeek-ssh +0 parsed, [\\d,]+ skipped")
                .contains("nothing parsed as zeek-ssh: if these files hold another format, name it in --input");
        assertThat(replay(alerts, dir.resolve("dead.jsonl"), "--input", "zeek-conn=" + GOOD))
                .isZero();
        assertThat(job.err().substring(job.err().lastIndexOf("replay finished")))
                .doesNotContain("nothing parsed");

        // Suricata set up to write netflow events (one per direction, as Suricata 7.0.10 wrote this one) and no flow.
        Path netflow = dir.resolve("eve.json");
        Files.writeString(
                netflow,
                "{\"timestamp\":\"2026-11-30T02:40:51.035472+0000\",\"flow_id\":1831767983916167,"
                        + "\"event_type\":\"netflow\",\"src_ip\":\"10.30.5.10\",\"src_port\":34126,"
                        + "\"dest_ip\":\"203.0.113.108\",\"dest_port\":8080,\"proto\":\"TCP\","
                        + "\"app_proto\":\"unknown\",\"netflow\":{\"pkts\":4,\"bytes\":272,"
                        + "\"start\":\"2026-11-30T02:40:38.295419+0000\",\"end\":\"2026-11-30T02:40:38.297935+0000\","
                        + "\"age\":0,\"min_ttl\":64,\"max_ttl\":64},"
                        + "\"tcp\":{\"tcp_flags\":\"13\",\"syn\":true,\"fin\":true,\"ack\":true}}\n");
        assertThat(replay(alerts, dir.resolve("dead.jsonl"), "--input", "suricata-eve=" + netflow))
                .isZero();
        assertThat(job.err().substring(job.err().lastIndexOf("replay finished")))
                .contains("nothing parsed as suricata-eve")
                .contains("is flow among the types of eve-log in suricata.yaml?");

        // Another format, whose lines the parser refuses rather than skips (sshd's read as Zeek TSV): no line parsed,
        // every one a dead letter, whose reasons say which.
        Path sshd = dir.resolve("auth.log");
        Files.writeString(
                sshd,
                "Dec  4 02:40:51 bastion sshd[2]: Failed password for root from 203.0.113.9 port 1 ssh2\n"
                        + "Dec  4 02:40:52 bastion sshd[3]: Failed password for root from 203.0.113.9 port 2 ssh2\n");
        assertThat(replay(alerts, dir.resolve("dead.jsonl"), "--input", "zeek-conn=" + sshd))
                .isZero();
        assertThat(job.err().substring(job.err().lastIndexOf("replay finished")))
                .containsPattern("zeek-conn +0 parsed, 0 skipped, 2 dead letters")
                .contains("nothing parsed as zeek-conn: the dead letters say why (--dead-letters FILE keeps them); if"
                        + " these files hold another format, name it in --input");
        assertThat(Files.readString(dir.resolve("dead.jsonl"))).contains("#fields");

        // The right format, every event dead-lettered (stamped a day ahead): the dead letters say why.
        String tomorrow = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .plusDays(1)
                .toString();
        Path ahead = dir.resolve("ahead.log");
        Files.writeString(
                ahead,
                tomorrow + " bastion CRON[1]: (root) CMD (true)\n" + tomorrow
                        + " bastion sshd[2]: Failed password for root from 203.0.113.9 port 1 ssh2\n" + tomorrow
                        + " bastion sshd[3]: Failed password for root from 203.0.113.9 port 2 ssh2\n");
        assertThat(replay(alerts, dir.resolve("dead.jsonl"), "--input", "sshd=" + ahead))
                .isZero();
        assertThat(job.err().substring(job.err().lastIndexOf("replay finished")))
                .containsPattern("sshd +0 parsed, 1 skipped, 2 dead letters")
                .contains("nothing parsed as sshd: the dead letters say why");
    }

    @Test
    void aFileThatFailsToReadCostsOnlyItself() throws Exception {
        // Reading this process's memory at offset 0 fails with EIO: an unreadable file even for root, who reads
        // any file that permissions would refuse.
        Path unreadable = Path.of("/proc/self/mem");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(unreadable), "needs Linux /proc");
        Path alone = dir.resolve("alone.jsonl");
        assertThat(replay(alone, dir.resolve("alone-dead.jsonl"), "--input", "zeek-conn=" + GOOD))
                .isZero();
        Path alerts = dir.resolve("alerts.jsonl");
        Path dead = dir.resolve("dead.jsonl");
        assertThat(replay(alerts, dead, "--input", "zeek-conn=" + unreadable, "--input", "zeek-conn=" + GOOD))
                .as(job.err())
                .isZero();
        assertThat(Files.readString(alerts)).isEqualTo(Files.readString(alone));
        assertThat(Files.readString(dead))
                .contains("\"origin\":\"/proc/self/mem:0\"")
                .contains("the input breaks off after this point");
        assertThat(job.err()).containsPattern("broken inputs +1 ");
    }

    /**
     * Compressed files that do not even start to decompress among good ones in a glob (one not gzip at all, which
     * is said with what to do, one empty, as a crashed rotation leaves it): each is a broken input, and the good file
     * is read.
     */
    @Test
    void aCompressedFileThatDoesNotStartToDecompressCostsOnlyItself() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Files.writeString(logs.resolve("conn.0.log.gz"), "{\"ts\":1}\n");
        Files.write(logs.resolve("conn.1.log.gz"), new byte[0]);
        Files.copy(GOOD, logs.resolve("conn.2.log"));
        Path alone = dir.resolve("alone.jsonl");
        assertThat(replay(alone, dir.resolve("alone-dead.jsonl"), "--input", "zeek-conn=" + GOOD))
                .isZero();
        Path alerts = dir.resolve("alerts.jsonl");
        Path dead = dir.resolve("dead.jsonl");
        assertThat(replay(alerts, dead, "--input", "zeek-conn=" + logs + "/conn.*"))
                .as(job.err())
                .isZero();
        assertThat(AlertsFile.summaries(AlertsFile.read(alerts)))
                .containsExactlyElementsOf(AlertsFile.summaries(AlertsFile.read(alone)));
        assertThat(Files.readString(dead))
                .contains("conn.0.log.gz:0")
                .contains("it is not such data (if it is plain text, rename it without that ending)")
                .contains("Not in GZIP format")
                .contains("conn.1.log.gz:0");
        assertThat(job.err()).containsPattern("broken inputs +2 ");
    }

    /**
     * Files that are not text under names that do not say so: gzip named {@code .log} and {@code .GZ} (Flink
     * decompresses by the lower-case ending), and nfdump's binary flow file. Each was read as lines, a dead letter per
     * "line" whose reason spoke of lines ending with CR; now each is one broken input that says what it is.
     */
    @Test
    void aFileThatIsNotTextUnderAPlainNameIsSaidForWhatItIs() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("misnamed"));
        byte[] gzipped = gzip(Files.readAllBytes(GOOD));
        Files.write(logs.resolve("conn.log"), gzipped);
        Files.write(logs.resolve("conn.log.GZ"), gzipped);
        byte[] nfdump = new byte[4096];
        new Random(5).nextBytes(nfdump);
        nfdump[0] = 0x0c;
        nfdump[1] = (byte) 0xa5;
        Files.write(logs.resolve("nfcapd.202603020900"), nfdump);
        Path dead = dir.resolve("dead.jsonl");
        assertThat(replay(dir.resolve("alerts.jsonl"), dead, "--input", "auto=" + logs + "/*"))
                .as(job.err())
                .isZero();
        List<String> deadLetters = Files.readAllLines(dead, StandardCharsets.UTF_8);
        assertThat(deadLetters).hasSize(3);
        assertThat(String.join("\n", deadLetters))
                .contains("conn.log:1")
                .contains("conn.log.GZ:1")
                .contains("gzip-compressed, but its name does not end in .gz")
                .contains("nfdump -r FILE -o csv")
                .doesNotContain("carriage returns");
        assertThat(job.err()).containsPattern("broken inputs +3 ");
    }

    @Test
    void anOutputThatFailsEndsTheJobWithTheReasonInsteadOfHanging() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        int status = replay(dir.resolve("alerts.jsonl"), full, "--input", "auto=" + randomBytes());
        assertThat(status).isEqualTo(1);
        assertThat(job.err()).contains("cannot write dead letters to /dev/full").contains("No space left on device");

        status = replay(full, dir.resolve("dead.jsonl"), "--input", "zeek-conn=" + GOOD);
        assertThat(status).isEqualTo(1);
        assertThat(job.err()).contains("cannot write alerts to /dev/full");
    }

    @Test
    void standardOutputThatCannotBeWrittenFailsTheRun() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        ChildJvm.Result result = ChildJvm.run(
                dir,
                List.of("-Xmx512m"),
                ScanwatchJob.class,
                List.of(
                        "--input",
                        "zeek-conn=" + GOOD,
                        "--config",
                        Testdata.file("scanwatch-demo.yaml").toString()),
                full.toFile(),
                300);
        assertThat(result.status()).as(result.err()).isEqualTo(1);
        assertThat(result.err())
                .contains("cannot write alerts to standard output")
                .doesNotContain("-> standard output");
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return parse(m.group(1));
    }

    private static long parse(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private Path randomBytes() throws IOException {
        byte[] bytes = new byte[300_000];
        new Random(3).nextBytes(bytes);
        return Files.write(dir.resolve("random.bin"), bytes);
    }

    /** Emoji, a lone surrogate as CESU-8 bytes, bytes that are not UTF-8, and a long line cut inside an emoji. */
    private Path brokenText() throws IOException {
        Path file = dir.resolve("broken-text.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("{\"ts\":1772442000.0,\"uid\":\"" + EMOJI + "\"\n").getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0xBD, '"', '\n'});
            out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
            out.write(("{\"x\":\"" + "a".repeat(2041) + EMOJI.repeat(200) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private Path emptyFields() throws IOException {
        Path file = dir.resolve("empty-fields-" + System.nanoTime() + ".log");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "{\"ts\":\"\",\"id.orig_h\":\"203.0.113.9\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.1\","
                                + "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\"}",
                        "{\"ts\":1772442000.5,\"id.orig_h\":\"\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.1\","
                                + "\"id.resp_p\":22,\"proto\":\"tcp\",\"conn_state\":\"S0\"}",
                        "{\"ts\":1772442000.5,\"id.orig_h\":null,\"id.orig_p\":{},\"id.resp_h\":[],"
                                + "\"id.resp_p\":\"\",\"proto\":null,\"conn_state\":7}",
                        "{}",
                        ""));
        return file;
    }

    private Path nested() throws IOException {
        return Files.writeString(
                dir.resolve("nested.json"), "{\"ts\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}\n");
    }

    private Path hugeLine() throws IOException {
        Path file = dir.resolve("huge-line.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] chunk = "{\"ts\":1772442000.0,".repeat(1000).getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written < 20_000_000; written += chunk.length) {
                out.write(chunk);
            }
        }
        return file;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes);
        }
        return gz.toByteArray();
    }

    /** Completed connections (no alert), gzipped, cut in the middle. */
    private Path truncatedGzip() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            for (int i = 0; i < 5_000; i++) {
                out.write(String.format(
                                "{\"ts\":%d.0,\"uid\":\"C%d\",\"id.orig_h\":\"10.20.1.10\",\"id.orig_p\":%d,"
                                        + "\"id.resp_h\":\"203.0.113.7\",\"id.resp_p\":443,\"proto\":\"tcp\","
                                        + "\"conn_state\":\"SF\",\"history\":\"ShADadFf\"}%n",
                                1_772_442_000L + i / 10, i, 10_000 + i)
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] whole = gz.toByteArray();
        return Files.write(dir.resolve("cut.log.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
    }
}
