package io.scanwatch.parse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParsedLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every field of every format's sample record, one at a time, made empty, missing, null or of the wrong type:
 * each damaged record gets a verdict from its parser itself (not from the guard that catches what a parser throws),
 * and a record that still parses holds valid values ({@link ParserPropertiesTest#assertValid}).
 */
class FieldDamageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a JSON field is replaced with: absent, null, empty, wrong scalar types, containers, extremes. */
    private static final List<String> JSON_VALUES = List.of(
            "<missing>",
            "null",
            "\"\"",
            "\" \"",
            "0",
            "-1",
            "1.5",
            "1e400",
            "true",
            "\"x\"",
            "{}",
            "[]",
            "{\"a\":1}",
            "[1,2]",
            "\"\\ud83d\"",
            "\"99999999999999999999999\"",
            "\"" + "9".repeat(400) + "\"");

    /** What a token of a text format is replaced with. */
    private static final List<String> TOKENS = List.of(
            "",
            "-",
            "x",
            "-1",
            "0",
            "1.5",
            "99999999999999999999",
            "\u0000",
            "\ud83d\ude00",
            "\ud83d",
            "NaN",
            "=",
            "[",
            "{",
            "\"");

    @TestFactory
    Stream<DynamicTest> everyFieldOfEveryFormat() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<TelemetryFormat, String> sample : ParserPropertiesTest.SAMPLES.entrySet()) {
            TelemetryFormat format = sample.getKey();
            for (String damaged : damaged(sample.getValue())) {
                tests.add(DynamicTest.dynamicTest(
                        format.id() + ": " + abbreviate(damaged), () -> check(format, damaged)));
            }
        }
        for (String damaged : damaged(ParserPropertiesTest.ZEEK_TSV_ROW)) {
            tests.add(DynamicTest.dynamicTest(
                    "zeek-conn tsv: " + abbreviate(damaged), () -> check(TelemetryFormat.ZEEK_CONN, damaged)));
        }
        return tests.stream();
    }

    private static void check(TelemetryFormat format, String line) {
        LineParser parser = ParserPropertiesTest.parserWithPreamble(format, line);
        ParsedLine verdict = parser.parse(line);
        if (verdict.kind() == ParsedLine.Kind.REJECTED) {
            assertThat(verdict.reason()).as("rejected by the parser itself").doesNotStartWith("parser failed");
        }
        ParserPropertiesTest.assertValid(verdict);
        // Text that UTF-8 cannot hold (a lone surrogate) is read as what its bytes say: that text is the reference.
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        String text = new String(utf8, StandardCharsets.UTF_8);
        byte[] buffer = Arrays.copyOf(utf8, utf8.length + 3);
        Arrays.fill(buffer, utf8.length, buffer.length, (byte) '}');
        assertThat(ParserPropertiesTest.parserWithPreamble(format, line).parse(buffer, utf8.length))
                .as("the verdict on the line's bytes, in a longer buffer as a reader hands them on")
                .usingRecursiveComparison()
                .isEqualTo(ParserPropertiesTest.parserWithPreamble(format, line).parse(text));
    }

    private static List<String> damaged(String sample) {
        return sample.startsWith("{") ? damagedJson(sample) : damagedTokens(sample);
    }

    private static List<String> damagedJson(String sample) {
        List<String> out = new ArrayList<>();
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(sample);
            for (List<String> path : paths(root, new ArrayList<>())) {
                for (String value : JSON_VALUES) {
                    ObjectNode copy = root.deepCopy();
                    ObjectNode parent = copy;
                    for (String step : path.subList(0, path.size() - 1)) {
                        parent = (ObjectNode) parent.get(step);
                    }
                    String field = path.get(path.size() - 1);
                    if (value.equals("<missing>")) {
                        parent.remove(field);
                        out.add(JSON.writeValueAsString(copy));
                    } else {
                        parent.put(field, "\u0001");
                        out.add(JSON.writeValueAsString(copy).replace("\"\\u0001\"", value));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<List<String>> paths(JsonNode node, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            paths.add(path);
            if (node.get(name).isObject()) {
                paths.addAll(paths(node.get(name), path));
            }
        }
        return paths;
    }

    /** Tokens split at the separators text formats use: whitespace, commas, tabs and the '=' of KEY=VALUE. */
    private static List<String> damagedTokens(String sample) {
        List<String> out = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= sample.length(); i++) {
            boolean separator = i == sample.length() || " \t,=".indexOf(sample.charAt(i)) >= 0;
            if (separator && start >= 0) {
                tokens.add(new int[] {start, i});
                start = -1;
            } else if (!separator && start < 0) {
                start = i;
            }
        }
        for (int[] token : tokens) {
            for (String value : TOKENS) {
                out.add(sample.substring(0, token[0]) + value + sample.substring(token[1]));
            }
            out.add(sample.substring(0, token[0]) + sample.substring(Math.min(sample.length(), token[1] + 1)));
        }
        return out;
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
