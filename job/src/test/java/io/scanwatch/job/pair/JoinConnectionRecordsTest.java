package io.scanwatch.job.pair;

import static io.scanwatch.event.TcpFlags.ACK;
import static io.scanwatch.event.TcpFlags.RST;
import static io.scanwatch.event.TcpFlags.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Direction;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.job.Detectors;
import io.scanwatch.job.detect.EventSelector;
import io.scanwatch.job.detect.NetworkScanRule;
import io.scanwatch.job.detect.RuleContext;
import io.scanwatch.net.CidrSet;
import io.scanwatch.net.NetworkClassifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joining in event time: one-way flows paired in any order, the wait, answers alone, UDP, the flood cap; Windows'
 * views of one connection merged; and no state left behind.
 */
class JoinConnectionRecordsTest {
    private static final long T = 1_780_000_000_000L;
    private static final long WAIT = 30_000;

    /** Detectors that take every connection: the tests see all that the join makes of its records. */
    private static final List<EventSelector> EVERY_DETECTOR = List.of(event -> true);

    private KeyedOneInputStreamOperatorTestHarness<String, ConnectionEvent, ConnectionEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new JoinConnectionRecords(Duration.ofMillis(WAIT), EVERY_DETECTOR, List.of()),
                new ConversationKey(),
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static ConnectionEvent record(long at, String from, int fromPort, String to, int toPort, int flags) {
        ConnectionEvent e = new ConnectionEvent();
        e.timestamp = at;
        e.sourceIp = from;
        e.sourcePort = fromPort;
        e.destinationIp = to;
        e.destinationPort = toPort;
        e.transport = Transport.TCP;
        e.outcome = Outcome.UNKNOWN;
        e.direction = Direction.EXTERNAL_INTERNAL;
        e.tcpFlags = flags;
        e.oneWay = true;
        e.sensorState = "flags";
        return e;
    }

    /** A join that knows the network scan's 5-minute windows, as the job's does, to judge what is late. */
    private void joinForTheNetworkScan() throws Exception {
        harness.close();
        NetworkClassifier classifier = new NetworkClassifier(CidrSet.of(List.of("10.0.0.0/8")), CidrSet.of(List.of()));
        NetworkScanRule networkScan = NetworkScanRule.sliding(
                Detectors.configLoader().defaults().rules().of(NetworkScanRule.KIND), new RuleContext(classifier, 64));
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new JoinConnectionRecords(Duration.ofMillis(WAIT), List.of(networkScan), List.of(networkScan)),
                new ConversationKey(),
                Types.STRING);
    }

    private void send(ConnectionEvent record) throws Exception {
        harness.processElement(record, record.timestamp);
    }

    @Test
    void aSynAndItsResetAreOneRefusedAttemptInEitherOrderWhenTheWaitEnds() throws Exception {
        send(record(T + 1, "10.30.0.7", 443, "203.0.113.66", 50000, ACK | RST));
        send(record(T, "203.0.113.66", 50000, "10.30.0.7", 443, SYN));
        harness.processWatermark(T + WAIT - 1);
        assertThat(harness.extractOutputValues())
                .as("judged when the wait ends")
                .isEmpty();
        harness.processWatermark(T + WAIT);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(e -> {
            assertThat(e.sourceIp).isEqualTo("203.0.113.66");
            assertThat(e.outcome).isEqualTo(Outcome.REJECTED);
            assertThat(e.oneWay).isFalse();
        });
        harness.processWatermark(T + 1 + WAIT);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Routing cannot tell which rules take a one-way record (its direction is known once paired), so the pairing
     * does: a refused attempt judged when the network scan's 5-minute windows have all passed it is late, counted
     * as routing counts it and not passed on for the detectors to drop unseen; one they still hold goes on.
     */
    @Test
    void aPairedFlowPastEveryRulesWindowsIsCountedLate() throws Exception {
        joinForTheNetworkScan();
        harness.processWatermark(T + 20 * 60_000);
        send(record(T, "203.0.113.66", 50000, "10.30.0.7", 443, SYN));
        send(record(T + 1, "10.30.0.7", 443, "203.0.113.66", 50000, ACK | RST));
        send(record(T + 18 * 60_000, "203.0.113.66", 50001, "10.30.0.7", 444, SYN));
        send(record(T + 18 * 60_000 + 1, "10.30.0.7", 444, "203.0.113.66", 50001, ACK | RST));
        harness.processWatermark(T + 20 * 60_000 + 1);
        assertThat(harness.extractOutputValues())
                .as("the second attempt, two minutes late, is still in the network scan's panes")
                .singleElement()
                .satisfies(e -> assertThat(e.destinationPort).isEqualTo(444));
        assertThat(harness.getEnvironment()
                        .getAccumulatorRegistry()
                        .getUserMap()
                        .get("events.all.late")
                        .getLocalValue())
                .isEqualTo(1L);
    }

    @Test
    void aSynWithoutAnswerWithinTheWaitWentUnanswered() throws Exception {
        send(record(T, "203.0.113.67", 61000, "10.30.0.50", 22, SYN));
        harness.processWatermark(T + WAIT - 1);
        assertThat(harness.extractOutputValues()).as("still waiting").isEmpty();
        harness.processWatermark(T + WAIT);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(e -> assertThat(e.outcome).isEqualTo(Outcome.UNANSWERED));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anAnswerWhoseRequestNeverComesLeavesNothing() throws Exception {
        send(record(T, "10.30.0.7", 80, "203.0.113.66", 50001, SYN | ACK));
        harness.processWatermark(T + WAIT);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSecondRecordOfTheSameSideLetsTheFirstGoAlone() throws Exception {
        send(record(T, "203.0.113.67", 61001, "10.30.0.50", 22, SYN));
        send(record(T + 5_000, "203.0.113.67", 61001, "10.30.0.50", 22, SYN));
        send(record(T + 5_001, "10.30.0.50", 22, "203.0.113.67", 61001, SYN | ACK));
        harness.processWatermark(T + 5_001 + WAIT);
        assertThat(harness.extractOutputValues())
                .extracting(e -> e.timestamp - T, e -> e.outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, Outcome.UNANSWERED),
                        org.assertj.core.groups.Tuple.tuple(5_000L, Outcome.ABORTED));
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRecordExportedTwiceCountsOnceWhateverTheOrder() throws Exception {
        ConnectionEvent syn = record(T, "203.0.113.67", 61002, "10.30.0.9", 80, SYN | RST);
        ConnectionEvent synAck = record(T, "10.30.0.9", 80, "203.0.113.67", 61002, SYN | ACK);
        send(syn);
        send(record(T, "203.0.113.67", 61002, "10.30.0.9", 80, SYN | RST));
        send(synAck);
        send(record(T, "10.30.0.9", 80, "203.0.113.67", 61002, SYN | ACK));
        send(record(T, "203.0.113.67", 61002, "10.30.0.9", 80, SYN | RST));
        harness.processWatermark(T + WAIT);
        assertThat(harness.extractOutputValues())
                .as("one open port, however often and in whatever order the two records come")
                .singleElement()
                .satisfies(e -> assertThat(e.outcome).isEqualTo(Outcome.ABORTED));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /**
     * The OTRF capture's UDP LDAP query 51883 as the workstation's Sysmon and both ends' filtering platforms wrote it,
     * 3 s apart, beside a one-way flow of the same conversation: the views are one attempt, the flow is paired apart.
     */
    @Test
    void windowsViewsOfOneConnectionAreOneAttempt() throws Exception {
        String[] states = {"event 3 initiated=true", "event 5156 inbound", "event 5156 outbound"};
        for (int i = 0; i < states.length; i++) {
            send(view(T + 1_000L * i, states[i]));
        }
        send(datagram(T + 500, "172.18.39.5", 51883, "172.18.38.5", 389, 60));
        harness.processWatermark(T + WAIT);
        assertThat(harness.extractOutputValues())
                .extracting(e -> e.format + " " + e.timestamp + " " + e.sensorState)
                .containsExactlyInAnyOrder(
                        "windows-json " + T + " event 3 initiated=true / event 5156 inbound / event 5156 outbound",
                        "null " + (T + 500) + " flags");
        assertThat(harness.numKeyedStateEntries()).isZero();
        harness.processWatermark(T + 2 * WAIT);
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private static ConnectionEvent view(long at, String state) {
        ConnectionEvent view = datagram(at, "172.18.39.5", 51883, "172.18.38.5", 389, -1);
        view.oneWay = false;
        view.format = "windows-json";
        view.sensorState = state;
        return view;
    }

    /**
     * A day of one host's pings to another, all of its records here before any watermark (a replay): the flood cap
     * judges them a wait at a time, so the morning's ping and the evening's sweep stay apart.
     */
    @Test
    void aFloodOfViewsIsStillJudgedAWaitAtATime() throws Exception {
        for (int i = 0; i < JoinConnectionRecords.MAX_RECORDS; i++) {
            send(view(T + i * 60_000L, "event 5156 outbound"));
        }
        assertThat(harness.extractOutputValues())
                .as("one connection a minute, each judged alone; the newest may still be joined")
                .hasSize(JoinConnectionRecords.MAX_RECORDS - 1);
        harness.processWatermark(T + JoinConnectionRecords.MAX_RECORDS * 60_000L + WAIT);
        assertThat(harness.extractOutputValues()).hasSize(JoinConnectionRecords.MAX_RECORDS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /**
     * A replay of a long-lived conversation (NTP between two servers, exported every minute), all of it here before
     * any timer: a request and its answer that straddle the state's limit are still one exchange.
     */
    @Test
    void anExchangeStraddlingTheStatesLimitIsStillJoined() throws Exception {
        // One unanswered query first, so that the state's limit falls between a query and its answer.
        send(datagram(T - 600_000, "10.30.0.1", 123, "198.51.100.9", 123, 76));
        for (int i = 0; i < JoinConnectionRecords.MAX_RECORDS; i++) {
            send(datagram(T + i * 60_000L, "10.30.0.1", 123, "198.51.100.9", 123, 76));
            send(datagram(T + i * 60_000L + 5, "198.51.100.9", 123, "10.30.0.1", 123, 76));
        }
        harness.processWatermark(T + JoinConnectionRecords.MAX_RECORDS * 60_000L + WAIT);
        assertThat(harness.extractOutputValues())
                .extracting(exchange -> exchange.outcome)
                .containsOnly(Outcome.COMPLETED, Outcome.UNANSWERED)
                .filteredOn(outcome -> outcome == Outcome.COMPLETED)
                .hasSize(JoinConnectionRecords.MAX_RECORDS);
    }

    /**
     * A stream read faster than its watermarks move (a backlog, a file replayed as a stream): the watermark jumps an
     * hour past views still waiting. The detectors are still at the watermark before the jump, so the views are in
     * time for them and leave the join, not counted late.
     */
    @Test
    void viewsWaitingWhenTheWatermarkJumpsAreNotLate() throws Exception {
        joinForTheNetworkScan();
        harness.processWatermark(T - 1);
        send(view(T, "event 3 initiated=true"));
        send(view(T + 2_000, "event 5156 outbound"));
        harness.processWatermark(T + 60 * 60_000);
        assertThat(harness.extractOutputValues()).singleElement();
        assertThat(harness.getEnvironment()
                        .getAccumulatorRegistry()
                        .getUserMap()
                        .get("events.all.late"))
                .satisfiesAnyOf(
                        counter -> assertThat(counter).isNull(),
                        counter -> assertThat(counter.getLocalValue()).isEqualTo(0L));
    }

    private static ConnectionEvent datagram(long at, String from, int fromPort, String to, int toPort, long bytes) {
        ConnectionEvent e = record(at, from, fromPort, to, toPort, -1);
        e.transport = Transport.UDP;
        e.sourceBytes = bytes;
        e.sourcePackets = 1;
        return e;
    }

    /** Outcomes and sources of what the harness put out, in a fixed order. */
    private List<String> judged() {
        return harness.extractOutputValues().stream()
                .map(e -> e.sourceIp + " " + e.destinationPort + " " + e.outcome + " " + e.sourceBytes)
                .sorted()
                .toList();
    }

    /**
     * nmap's UDP probe and its retry, from one port, each answered, all within one exporter second: every order in
     * which they may arrive gives the same two answered probes, and never an attempt by the answering host.
     */
    @Test
    void recordsWithEqualTimesGiveTheSameConversationInEveryOrder() throws Exception {
        List<ConnectionEvent> records = List.of(
                datagram(T, "203.0.113.68", 37807, "10.30.0.9", 53, 40),
                datagram(T, "203.0.113.68", 37807, "10.30.0.9", 53, 62),
                datagram(T, "10.30.0.9", 53, "203.0.113.68", 37807, 104),
                datagram(T, "10.30.0.9", 53, "203.0.113.68", 37807, 126));
        Set<List<String>> outcomes = new HashSet<>();
        for (List<ConnectionEvent> order : permutations(records)) {
            close();
            open();
            for (ConnectionEvent record : order) {
                send(record);
            }
            harness.processWatermark(T + WAIT);
            outcomes.add(judged());
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
        assertThat(outcomes)
                .singleElement()
                .isEqualTo(List.of("203.0.113.68 53 COMPLETED 40", "203.0.113.68 53 COMPLETED 62"));
    }

    private static List<List<ConnectionEvent>> permutations(List<ConnectionEvent> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<ConnectionEvent>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<ConnectionEvent> rest = new ArrayList<>(items);
            ConnectionEvent head = rest.remove(i);
            for (List<ConnectionEvent> tail : permutations(rest)) {
                List<ConnectionEvent> order = new ArrayList<>(List.of(head));
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    @Test
    void aResolversAnswerWhoseQueryIsMissingIsNoAttemptAndAQueryWithoutAnswerWentUnanswered() throws Exception {
        send(datagram(T, "10.30.0.1", 53, "203.0.113.101", 40001, 90));
        send(datagram(T, "203.0.113.68", 40002, "10.30.0.7", 161, 40));
        harness.processWatermark(T + WAIT);
        assertThat(judged()).containsExactly("203.0.113.68 161 UNANSWERED 40");
    }

    @Test
    void aConversationFloodingTheStateIsJudgedAtOnce() throws Exception {
        for (int i = 0; i < JoinConnectionRecords.MAX_RECORDS; i++) {
            send(record(T + i, "203.0.113.67", 61003, "10.30.0.9", 80, SYN));
        }
        assertThat(harness.extractOutputValues()).hasSize(JoinConnectionRecords.MAX_RECORDS);
        assertThat(harness.numKeyedStateEntries()).isZero();
        harness.processWatermark(T + 2 * WAIT);
        assertThat(harness.extractOutputValues()).hasSize(JoinConnectionRecords.MAX_RECORDS);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A savepoint (canonical format) of the build before connection events had their own serializer (3a34dea, written
     * with {@link #writeTheSnapshotOfThisBuild}): a SYN from 203.0.113.70 to 10.30.0.7:443 at T waits for its reply, written by
     * Flink's POJO serializer. Restored into the heap and into RocksDB (which migrates the list as it reads it), the
     * reset that follows makes it one refused attempt, with the fields the savepoint held.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSavepointWhoseWaitingRecordsThePojoSerializerWroteGoesOn(boolean rocksDb) throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new JoinConnectionRecords(Duration.ofMillis(WAIT), EVERY_DETECTOR, List.of())),
                new ConversationKey(),
                Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.initializeState(OperatorSnapshotUtil.readStateHandle(
                Path.of(getClass().getResource("pair-3a34dea.snapshot").toURI()).toString()));
        harness.open();

        send(record(T + 1, "10.30.0.7", 443, "203.0.113.70", 50000, ACK | RST));
        harness.processWatermark(T + WAIT);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(e -> {
            assertThat(e.sourceIp).isEqualTo("203.0.113.70");
            assertThat(e.destinationPort).isEqualTo(443);
            assertThat(e.outcome).isEqualTo(Outcome.REJECTED);
            assertThat(e.direction).isEqualTo(Direction.EXTERNAL_INTERNAL);
            assertThat(e.oneWay).isFalse();
        });
        harness.processWatermark(T + 2 * WAIT);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numEventTimeTimers()).isZero();
        if (!rocksDb) {
            // The harness counts entries on the heap only.
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    /**
     * Writes the savepoint {@code aSavepointWhoseWaitingRecordsThePojoSerializerWroteGoesOn} restores, when asked:
     * {@code -Dpair.snapshot.write=<file>}, run on the build whose state it is to hold.
     */
    @Test
    @EnabledIfSystemProperty(named = "pair.snapshot.write", matches = ".+")
    void writeTheSnapshotOfThisBuild() throws Exception {
        send(record(T, "203.0.113.70", 50000, "10.30.0.7", 443, SYN));
        harness.processWatermark(T - 1);
        // A savepoint in the canonical format, which either state backend restores.
        OperatorSnapshotUtil.writeStateHandle(
                harness.snapshotWithLocalState(1, T, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                        .getJobManagerOwnedState(),
                System.getProperty("pair.snapshot.write"));
    }
}
