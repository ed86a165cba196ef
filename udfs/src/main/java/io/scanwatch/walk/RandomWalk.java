package io.scanwatch.walk;

import java.io.Serializable;

/**
 * The sequential hypothesis test of Threshold Random Walk. Each first contact of a source with a host moves the
 * log-likelihood ratio of "scanner" over "benign": up by ln((1-θ1)/(1-θ0)) when it fails, down by ln(θ0/θ1) when
 * it succeeds. The source is a scanner when the ratio reaches η1 = β/α and benign when it falls to η0 =
 * (1-β)/(1-α). With the paper's θ0 = 0.8, θ1 = 0.2, α = 0.01, β = 0.99: each failure multiplies the ratio by 4,
 * each success divides it by 4, η1 = 99 and η0 ≈ 0.0101, so four failed first contacts in a row declare a scanner.
 *
 * @param benignSuccess θ0, the chance that a benign source's first contact succeeds
 * @param scannerSuccess θ1, the chance that a scanner's first contact succeeds
 * @param falsePositive α, the tolerated chance of calling a benign source a scanner
 * @param detection β, the wanted chance of calling a scanner a scanner
 */
public record RandomWalk(double benignSuccess, double scannerSuccess, double falsePositive, double detection)
        implements Serializable {
    public enum Decision {
        SCANNER,
        BENIGN,
        PENDING
    }

    /** A parameter that leaves the test undefined, and why. */
    public record Problem(String parameter, String reason) {}

    /** @return what is wrong with the parameters, or null when the test is well defined */
    public Problem problem() {
        Problem successes = ordered("scanner-success", scannerSuccess, "benign-success", benignSuccess);
        return successes != null ? successes : ordered("false-positive", falsePositive, "detection", detection);
    }

    /** {@code 0 < low < high < 1}, else the one of the two outside (0, 1) is named, or the lower one. */
    private static Problem ordered(String lowName, double low, String highName, double high) {
        if (low > 0 && low < high && high < 1) {
            return null;
        }
        boolean onlyHighOutside = low > 0 && low < 1 && !(high > 0 && high < 1);
        return new Problem(
                onlyHighOutside ? highName : lowName,
                "needs 0 < " + lowName + " < " + highName + " < 1, got " + lowName + " " + low + " and " + highName
                        + " " + high);
    }

    /** ln η1: at or above it, a scanner. */
    public double upper() {
        return Math.log(detection / falsePositive);
    }

    /** ln η0: at or below it, benign. */
    public double lower() {
        return Math.log((1 - detection) / (1 - falsePositive));
    }

    /** The change to the log-likelihood ratio of one first contact. */
    public double step(boolean success) {
        return success
                ? Math.log(scannerSuccess / benignSuccess)
                : Math.log((1 - scannerSuccess) / (1 - benignSuccess));
    }

    public Decision decide(double logRatio) {
        if (logRatio >= upper()) {
            return Decision.SCANNER;
        }
        return logRatio <= lower() ? Decision.BENIGN : Decision.PENDING;
    }
}
