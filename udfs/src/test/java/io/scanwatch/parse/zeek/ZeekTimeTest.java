package io.scanwatch.parse.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ZeekTimeTest {
    /** Read without the general parser, or left to it: never another double than {@link Double#parseDouble}'s. */
    @Property(tries = 5000)
    void plainSecondsAreTheDoubleTheGeneralParserReads(@ForAll("times") String ts) {
        double plain = ZeekTime.plainSeconds(ts);
        if (!Double.isNaN(plain)) {
            assertThat(Double.doubleToRawLongBits(plain))
                    .as(ts)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(ts)));
        }
    }

    @Test
    void zeeksOwnFormIsReadWithoutTheGeneralParser() {
        assertThat(ZeekTime.plainSeconds("1772442000.000500")).isEqualTo(1772442000.0005);
        assertThat(ZeekTime.plainSeconds("1700828217")).isEqualTo(1700828217.0);
        // Halfway between two milliseconds as written, not as the nearest double holds it.
        assertThat(ZeekTime.eventTime("1700828217.3145")).isEqualTo(Math.round(1700828217.3145 * 1000.0));
        for (String other : new String[] {
            "", ".5", "1.", "1e9", "-1.5", "1.2.3", "9007199254740993", "12345678901234567", "1.1234567891"
        }) {
            assertThat(ZeekTime.plainSeconds(other)).as(other).isNaN();
        }
    }

    @Provide
    Arbitrary<String> times() {
        Arbitrary<String> whole = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(17);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMaxLength(10);
        Arbitrary<String> ties = Arbitraries.integers().between(0, 999).map(ms -> String.format("%03d5", ms));
        return whole.flatMap(w -> Arbitraries.oneOf(fraction, ties).map(f -> f.isEmpty() ? w : w + "." + f));
    }
}
