package io.scanwatch.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hint a refused key gets: the key meant, when one is clearly nearest. */
class NearestKeyTest {
    private static final List<String> TRW = List.of(
            "enabled", "severity", "benign-success", "scanner-success", "quiet-period", "exact-hosts", "destinations");

    @Test
    void aLetterLeftOutAddedChangedOrSwappedIsNamed() {
        assertThat(NearestKey.hint("destination", TRW)).isEqualTo("; did you mean 'destinations'?");
        assertThat(NearestKey.hint("enabeld", TRW)).isEqualTo("; did you mean 'enabled'?");
        assertThat(NearestKey.hint("severty", TRW)).isEqualTo("; did you mean 'severity'?");
        assertThat(NearestKey.hint("quiet_period", TRW)).isEqualTo("; did you mean 'quiet-period'?");
        assertThat(NearestKey.hint("exact-hostss", TRW)).isEqualTo("; did you mean 'exact-hosts'?");
    }

    @Test
    void nothingWhenNoKeyIsNearOrTwoAreAsNear() {
        assertThat(NearestKey.hint("theta0", TRW)).isEmpty();
        assertThat(NearestKey.hint("enabled", TRW)).as("a known key").isEmpty();
        assertThat(NearestKey.hint("ab", List.of("aa", "bb"))).as("two as near").isEmpty();
        assertThat(NearestKey.hint("sevrty", TRW))
                .as("two edits in a short key")
                .isEmpty();
    }

    @Test
    void distanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(NearestKey.distance("netwrok", "network")).isEqualTo(1);
        assertThat(NearestKey.distance("", "abc")).isEqualTo(3);
        assertThat(NearestKey.distance("kitten", "sitting")).isEqualTo(3);
    }
}
