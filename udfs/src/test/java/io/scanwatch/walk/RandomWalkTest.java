package io.scanwatch.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scanwatch.walk.RandomWalk.Decision;
import org.junit.jupiter.api.Test;

/** The walk on the paper's parameters and worked numbers. */
class RandomWalkTest {
    private final RandomWalk paper = new RandomWalk(0.8, 0.2, 0.01, 0.99);

    @Test
    void thresholdsAndStepsAreThePapers() {
        assertThat(Math.exp(paper.upper())).isCloseTo(99, within(1e-9));
        assertThat(Math.exp(paper.lower())).isCloseTo(0.01 / 0.99, within(1e-12));
        assertThat(Math.exp(paper.step(false))).as("a failure multiplies by 4").isCloseTo(4, within(1e-12));
        assertThat(Math.exp(paper.step(true))).as("a success divides by 4").isCloseTo(0.25, within(1e-12));
        assertThat(paper.problem()).isNull();
    }

    @Test
    void fourFailedFirstContactsMakeAScannerAndFourSuccessesABenignHost() {
        double ratio = 0;
        for (int i = 1; i <= 3; i++) {
            ratio += paper.step(false);
            assertThat(paper.decide(ratio)).as("after %d failures", i).isEqualTo(Decision.PENDING);
        }
        assertThat(paper.decide(ratio + paper.step(false))).isEqualTo(Decision.SCANNER);

        double benign = 0;
        for (int i = 0; i < 3; i++) {
            benign += paper.step(true);
        }
        assertThat(paper.decide(benign)).as("1/64 is above 1/99").isEqualTo(Decision.PENDING);
        assertThat(paper.decide(benign + paper.step(true))).isEqualTo(Decision.BENIGN);
    }

    @Test
    void aSuccessUndoesAFailure() {
        double ratio = paper.step(false) + paper.step(true);
        assertThat(ratio).isCloseTo(0, within(1e-12));
        assertThat(paper.decide(ratio)).isEqualTo(Decision.PENDING);
    }

    @Test
    void parametersThatCannotDecideAreNamed() {
        assertThat(new RandomWalk(0.2, 0.8, 0.01, 0.99).problem())
                .isEqualTo(new RandomWalk.Problem(
                        "scanner-success",
                        "needs 0 < scanner-success < benign-success < 1, got scanner-success 0.8 and benign-success"
                                + " 0.2"));
        assertThat(new RandomWalk(0.8, 0.2, 0.5, 0.4).problem().parameter()).isEqualTo("false-positive");
        assertThat(new RandomWalk(0.8, 0.2, 2, 0.99).problem().parameter())
                .as("the one outside (0, 1)")
                .isEqualTo("false-positive");
        assertThat(new RandomWalk(0.8, 0.2, 0.01, 1.5).problem().parameter()).isEqualTo("detection");
        assertThat(new RandomWalk(1.2, 0.2, 0.01, 0.99).problem().parameter()).isEqualTo("benign-success");
    }
}
