package io.scanwatch.parse.zeek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ZeekTimeTest {
    /** Read without the general parser: the decimal as written, cut to the millisecond. */
    @Property(tries = 5000)
    void plainMillisAreTheDecimalCutToTheMillisecond(@ForAll("times") String ts) {
        long plain = ZeekTime.plainMillis(ts);
        if (plain != Long.MIN_VALUE) {
            assertThat(plain)
                    .as(ts)
                    .isEqualTo(new BigDecimal(ts)
                            .movePointRight(3)
                            .setScale(0, RoundingMode.FLOOR)
                            .longValueExact());
        }
    }

    @Test
    void zeeksOwnFormIsReadWithoutTheGeneralParser() {
        assertThat(ZeekTime.plainMillis("1772442000.000500")).isEqualTo(1772442000000L);
        assertThat(ZeekTime.plainMillis("1700828217")).isEqualTo(1700828217000L);
        assertThat(ZeekTime.plainMillis("1655071229.9999999999"))
                .as("any decimals")
                .isEqualTo(1655071229999L);
        assertThat(ZeekTime.plainMillis("1655071229.5")).isEqualTo(1655071229500L);
        for (String other : new String[] {"", ".5", "1.", "1e9", "-1.5", "1.2.3", "1234567890123456", "1.12x"}) {
            assertThat(ZeekTime.plainMillis(other)).as(other).isEqualTo(Long.MIN_VALUE);
        }
    }

    /**
     * A probe's millisecond is the one it happened in: an alert's start, its first probe's, is never after it (the
     * CTU-50 capture's 1655204040.702837 was told as .703, so a pivot on {@code ts >= event.start} missed it).
     */
    @Test
    void aTimeIsCutToItsMillisecondNotRounded() {
        assertThat(ZeekTime.eventTime("1655204040.702837")).isEqualTo(1655204040702L);
        assertThat(ZeekTime.eventTime("1700828217.3145")).isEqualTo(1700828217314L);
        assertThat(ZeekTime.eventTime("1700828217.314")).as("written in full").isEqualTo(1700828217314L);
        assertThat(ZeekTime.eventTime("1.7008282173149e9"))
                .as("the general parser's")
                .isEqualTo(1700828217314L);
        assertThat(ZeekTime.eventTime("+1655071229.001")).isEqualTo(1655071229001L);
        assertThat(ZeekTime.eventTime("00001655071229.001")).isEqualTo(1655071229001L);
        for (String far : new String[] {"1e2000000000", "1e-2000000000", "-1655071229", "0.0", "0"}) {
            assertThatThrownBy(() -> ZeekTime.eventTime(far))
                    .as(far)
                    .hasMessageContaining("out of the plausible range");
        }
        assertThatThrownBy(() -> ZeekTime.eventTime("1" + "0".repeat(100_000)))
                .hasMessageContaining("ts is not a time");
        assertThat(ZeekTime.eventTime("2023-11-24T12:16:57.314999Z")).isEqualTo(1700828217314L);
    }

    @Provide
    Arbitrary<String> times() {
        Arbitrary<String> whole = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(17);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMaxLength(10);
        Arbitrary<String> ties = Arbitraries.integers().between(0, 999).map(ms -> String.format("%03d5", ms));
        return whole.flatMap(w -> Arbitraries.oneOf(fraction, ties).map(f -> f.isEmpty() ? w : w + "." + f));
    }
}
