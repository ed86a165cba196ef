package io.scanwatch.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WellFormedTextTest {
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void keepsWellFormedTextAsItIs() {
        String text = "scan from 203.0.113.9 " + EMOJI + " ok";
        assertThat(WellFormedText.of(text)).isSameAs(text);
    }

    @Test
    void replacesLoneHalvesWhereverTheyStand() {
        assertThat(WellFormedText.of("\uD83D")).isEqualTo("\uFFFD");
        assertThat(WellFormedText.of("a\uDE00b")).isEqualTo("a\uFFFDb");
        assertThat(WellFormedText.of("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
        assertThat(WellFormedText.of("x" + EMOJI + "\uD83D" + EMOJI)).isEqualTo("x" + EMOJI + "\uFFFD" + EMOJI);
    }

    @Test
    void cutsBeforeAPairRatherThanInsideIt() {
        String text = "ab" + EMOJI + "cd";
        assertThat(WellFormedText.prefix(text, 3)).isEqualTo("ab");
        assertThat(WellFormedText.prefix(text, 4)).isEqualTo("ab" + EMOJI);
        assertThat(WellFormedText.prefix(text, 100)).isSameAs(text);
    }

    @Test
    void anyStringBecomesEncodableByAStrictUtf8Encoder() throws CharacterCodingException {
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = random.nextInt(4) == 0
                        ? (char) (0xD800 + random.nextInt(0x800))
                        : (char) random.nextInt(0x10000);
            }
            String text = new String(chars);
            String safe = WellFormedText.prefix(text, random.nextInt(41));
            StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(safe));
            assertThat(safe.length()).isLessThanOrEqualTo(Math.max(text.length(), 0));
        }
    }
}
