package io.scanwatch.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An episode's tally folded from windows judged at different times. */
class ProbeTallyTest {
    private static final int CAP = 64;

    /** One probe of each of {@code ports} ports of one host, from port 1000 on. */
    private static ProbeTally vertical(String host, int ports, boolean internal) {
        ProbeTally tally = new ProbeTally();
        for (int port = 1000; port < 1000 + ports; port++) {
            tally.add(0, host, port, host + ":" + port, internal, CAP);
        }
        return tally;
    }

    /**
     * As CTU-50's 104.156.155.13 walked one host's ports over a night: the day window at 04:00 held 504 ports, the
     * hour window ten minutes later 17 new ones. The episode lists 521 ports (past the cap, an estimate), so it tells
     * at least the lower bound of that many attempts (an estimate may be a few percent above the truth), all still
     * inside the network.
     */
    @Test
    void anEpisodeTellsNoFewerAttemptsThanTheServicesItReached() {
        ProbeTally episode = vertical("147.32.81.167", 504, true);
        ProbeTally later = new ProbeTally();
        for (int port = 1504; port < 1521; port++) {
            later.add(0, "147.32.81.167", port, "147.32.81.167:" + port, true, CAP);
        }
        episode.absorb(later, CAP);
        assertThat(episode.ports.estimated()).isTrue();
        assertThat(episode.attempts).isGreaterThanOrEqualTo(episode.ports.distinctBounds()[0]);
        assertThat(episode.attempts).isGreaterThanOrEqualTo(episode.distinctServicesBounds()[0]);
        assertThat(episode.attempts).isLessThanOrEqualTo(521);
        assertThat(episode.internalAttempts).isEqualTo(episode.attempts);
        assertThat(episode.networkDirection(false)).isEqualTo("inbound");
    }

    /**
     * A sweep of one port, a host every 10 seconds for two hours, folded into its episode window by window as the
     * sliding network scan judges it (5 minutes, every minute): past the cap, hosts and services are estimated by
     * sketches of their own, which told more hosts than services (387 against 383 in a trial). Told as a scan reached
     * them, the services never fall below the hosts or the ports.
     */
    @Test
    void anEpisodePastTheCapTellsNoFewerServicesThanHosts() {
        ProbeTally episode = new ProbeTally();
        int apart = 0;
        long minute = 60_000;
        int hosts = 720;
        for (long end = minute; end <= hosts * 10_000L + 5 * minute; end += minute) {
            ProbeTally window = new ProbeTally();
            for (int n = 0; n < hosts; n++) {
                long at = n * 10_000L;
                if (at >= end - 5 * minute && at < end) {
                    String host = "10.8." + n / 250 + "." + (n % 250 + 1);
                    window.add(at, host, 22, host + ":22", true, CAP);
                }
            }
            episode.absorb(window, CAP);
            if (episode.services.distinct() < episode.hosts.distinct()) {
                apart++;
                assertThat(episode.distinctServices()).isEqualTo(episode.hosts.distinct());
            }
            assertThat(episode.distinctServices())
                    .isGreaterThanOrEqualTo(episode.hosts.distinct())
                    .isGreaterThanOrEqualTo(episode.ports.distinct())
                    .isGreaterThanOrEqualTo(episode.services.distinct());
        }
        assertThat(apart)
                .as("windows after which the two sketches disagree that way")
                .isPositive();
    }

    /** Overlapping windows of one scan: the busiest window's attempts, not their sum, when they exceed the services. */
    @Test
    void overlappingWindowsKeepTheBusiestWindowsAttempts() {
        ProbeTally episode = vertical("10.1.0.1", 10, true);
        ProbeTally again = vertical("10.1.0.1", 10, true);
        again.addAll(vertical("10.1.0.1", 10, true), CAP);
        episode.absorb(again, CAP);
        assertThat(episode.attempts).isEqualTo(20);
        assertThat(episode.ports.distinct()).isEqualTo(10);
    }
}
