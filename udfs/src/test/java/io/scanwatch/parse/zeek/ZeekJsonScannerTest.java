package io.scanwatch.parse.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** The scanner reads what Jackson reads from the line's text, or declines the line; it never reads it otherwise. */
class ZeekJsonScannerTest {
    private static final List<String> NAMES =
            List.of("ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "conn_state", "history", "uid");

    /** A line as Zeek writes it: read, with Jackson's values. */
    @Property(tries = 300)
    void readsTheLinesZeekWritesAsJacksonDoes(@ForAll("zeekLines") String line) {
        String[] read = new String[ZeekField.values().length];
        assertThat(scanner().read(bytes(line), bytes(line).length, read))
                .as(line)
                .isTrue();
        assertThat(read).as(line).containsExactly(jacksonValues(line));
    }

    /** Any line, well formed or not: declined, or read with exactly the values Jackson reads from its text. */
    @Property(tries = 3000)
    void readsNothingJacksonWouldNotRead(@ForAll("anyLines") String line) {
        byte[] utf8 = bytes(line);
        // A longer buffer, as a line reader hands it on: nothing past the length may be read.
        byte[] buffer = Arrays.copyOf(utf8, utf8.length + 4);
        Arrays.fill(buffer, utf8.length, buffer.length, (byte) '}');
        String[] read = new String[ZeekField.values().length];
        if (scanner().read(buffer, utf8.length, read)) {
            assertThat(new ZeekLogReader(ZeekField::slotOf).read(line, new String[read.length]))
                    .as("Jackson's verdict on " + line)
                    .isNull();
            assertThat(read).as(line).containsExactly(jacksonValues(line));
        }
    }

    @Test
    void declinesWhatOnlyJacksonShouldRead() {
        for (String line : List.of(
                "{\"id\":{\"orig_h\":\"10.0.0.1\"}}",
                "{\"tunnel_parents\":[],\"ts\":1.5}",
                "{\"history\":\"S\\u0061\"}",
                "{\"history\":\"Sé\"}",
                "{\"history\":\"S\u0001\"}",
                "{\"ts\":01}",
                "{\"ts\":1.}",
                "{\"ts\":-}",
                "{\"ts\":1e}",
                "{\"ts\":tru}",
                "{\"ts\":1,}",
                "{\"ts\":1}\u000b",
                "{\"ts\"\u000c:1}",
                "{\"ts\":1",
                "{\"ts\":\"1}",
                "{\"ts\":1}{}",
                "[{\"ts\":1}]",
                "{\"ts\":" + "9".repeat(65) + "}")) {
            byte[] utf8 = bytes(line);
            assertThat(scanner().read(utf8, utf8.length, new String[ZeekField.values().length]))
                    .as(line)
                    .isFalse();
        }
    }

    @Test
    void readsWhiteSpaceBetweenTheParts() {
        for (String line : List.of(
                "{ \"ts\":1}",
                "{\"ts\" :1}",
                "{\"ts\":1} ",
                "{\"ts\": 1.5, \"proto\": \"tcp\"}",
                "{\t\"ts\"\r\n:\n1 }",
                "{ }")) {
            String[] read = new String[ZeekField.values().length];
            assertThat(scanner().read(bytes(line), bytes(line).length, read))
                    .as(line)
                    .isTrue();
            assertThat(read).as(line).containsExactly(jacksonValues(line));
        }
    }

    @Test
    void aLaterNameWinsAndNullLeavesWhatWasRead() {
        String line = "{\"proto\":\"udp\",\"proto\":\"tcp\",\"history\":\"S\",\"history\":null,\"ts\":1.5E9}";
        String[] read = new String[ZeekField.values().length];
        assertThat(scanner().read(bytes(line), bytes(line).length, read)).isTrue();
        assertThat(read[ZeekField.PROTO.ordinal()]).isEqualTo("tcp");
        assertThat(read[ZeekField.HISTORY.ordinal()]).isEqualTo("S");
        assertThat(read[ZeekField.TS.ordinal()]).isEqualTo("1.5E9");
        assertThat(read).containsExactly(jacksonValues(line));
    }

    /** Names are remembered as bytes up to a point; past it, they are still found, one string each time. */
    @Test
    void manyNamesAreStillMatched() {
        ZeekJsonScanner scanner = scanner();
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; i < 100; i++) {
            line.append("\"extra").append(i).append("\":").append(i).append(',');
        }
        line.append("\"proto\":\"tcp\"}");
        for (int round = 0; round < 2; round++) {
            String[] read = new String[ZeekField.values().length];
            assertThat(scanner.read(bytes(line.toString()), line.length(), read))
                    .isTrue();
            assertThat(read[ZeekField.PROTO.ordinal()]).isEqualTo("tcp");
        }
    }

    /** Compact as Zeek writes it, or spaced as Python's {@code json.dumps} writes it. */
    @Provide
    Arbitrary<String> zeekLines() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of(NAMES),
                Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .excludeChars('"', '\\')
                        .ofMaxLength(12));
        return Arbitraries.of(":", ": ")
                .flatMap(colon -> Arbitraries.of(",", ", ")
                        .flatMap(comma -> name.flatMap(n -> value(false).map(v -> quoted(n) + colon + v))
                                .list()
                                .ofMaxSize(20)
                                .map(members -> "{" + String.join(comma, members) + "}")));
    }

    @Provide
    Arbitrary<String> anyLines() {
        Arbitrary<String> name = mostly(
                Arbitraries.of(NAMES).map(ZeekJsonScannerTest::quoted),
                Arbitraries.of("\"id\"", "\"\"", "\"a\\\"b\"", "\"pr\\u006fto\"", "\"é\"", "ts", "\"ts"));
        Arbitrary<String> colon =
                mostly(Arbitraries.of(":", ":", ": ", " :\t", ":\r\n"), Arbitraries.of("", "::", ":\u000b", "\u000c:"));
        Arbitrary<String> member =
                name.flatMap(n -> colon.flatMap(c -> value(true).map(v -> n + c + v)));
        Arbitrary<String> separator =
                mostly(Arbitraries.of(",", ",", ", ", " ,\t", "\n,"), Arbitraries.of(",,", "", ",\u0000"));
        Arbitrary<String> members = member.list()
                .ofMaxSize(6)
                .flatMap(list ->
                        separator.list().ofSize(Math.max(0, list.size() - 1)).map(seps -> join(list, seps)));
        Arbitrary<String> open = mostly(Arbitraries.of("{", "{", "{ ", "{\t"), Arbitraries.of(" {", "[{", ""));
        Arbitrary<String> close = mostly(
                Arbitraries.of("}", "}", " }", "} ", "}\r"), Arbitraries.of("}}", "}x", "", "}]", "}\u000b", "} ,"));
        return open.flatMap(o -> members.flatMap(m -> close.map(c -> o + m + c)));
    }

    /** The well-formed choice most of the time, so that lines are read often enough to compare. */
    private static Arbitrary<String> mostly(Arbitrary<String> good, Arbitrary<String> bad) {
        return Arbitraries.frequencyOf(Tuple.of(19, good), Tuple.of(1, bad));
    }

    private static Arbitrary<String> value(boolean hostile) {
        Arbitrary<String> number = Arbitraries.of(
                "0", "-0", "7", "443", "1700828217.314165", "1.5E9", "1e-3", "-2.50", "1E+05", "12345678901234567890");
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange(' ', '~')
                .excludeChars('"', '\\')
                .ofMaxLength(16)
                .map(ZeekJsonScannerTest::quoted);
        if (!hostile) {
            return Arbitraries.oneOf(number, text, Arbitraries.of("true", "false", "null"));
        }
        Arbitrary<String> broken = Arbitraries.of(
                "01",
                "1.",
                "-",
                ".5",
                "+1",
                "1e",
                "1e+",
                "0x1F",
                "NaN",
                "tru",
                "nul",
                "falsey",
                "\"a\\\"b\"",
                "\"\\u0041\"",
                "\"é\"",
                "\"\u0007\"",
                "\"\u007f\"",
                "\"open",
                "{}",
                "{\"orig_h\":\"10.0.0.1\"}",
                "[]",
                "[1,2]",
                "\"\"",
                "");
        return mostly(Arbitraries.oneOf(number, text, Arbitraries.of("true", "false", "null")), broken);
    }

    private static String join(List<String> members, List<String> separators) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            out.append(i == 0 ? "" : separators.get(i - 1)).append(members.get(i));
        }
        return out.toString();
    }

    private static String[] jacksonValues(String line) {
        String[] values = new String[ZeekField.values().length];
        assertThat(new ZeekLogReader(ZeekField::slotOf).read(line, values))
                .as(line)
                .isNull();
        return values;
    }

    private static ZeekJsonScanner scanner() {
        return new ZeekJsonScanner(ZeekField::slotOf);
    }

    private static String quoted(String text) {
        return '"' + text + '"';
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }
}
