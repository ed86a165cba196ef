package io.scanwatch.parse.sshd;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.parse.FieldValues;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SshdLogParserTest {
    private final SshdLogParser parser =
            new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.parse("2026-03-02T12:00:00Z")));

    private AuthEvent auth(String line) {
        ParsedLine parsed = parser.parse(line);
        assertThat(parsed.kind()).as(parsed.toString()).isEqualTo(ParsedLine.Kind.AUTHENTICATION);
        return parsed.authentication();
    }

    @Test
    void failedPasswordIsOneFailedGuess() {
        AuthEvent e =
                auth("Mar  2 09:14:07 bastion sshd[24200]: Failed password for root from 203.0.113.9 port 52114 ssh2");
        assertThat(e.timestamp).isEqualTo(Instant.parse("2026-03-02T09:14:07Z").toEpochMilli());
        assertThat(e.sourceIp).isEqualTo("203.0.113.9");
        assertThat(e.sourcePort).isEqualTo(52114);
        assertThat(e.targetHost).isEqualTo("bastion");
        assertThat(e.service).isEqualTo("ssh");
        assertThat(e.user).isEqualTo("root");
        assertThat(e.success).isFalse();
        assertThat(e.attempts).isEqualTo(1);
        assertThat(e.detail).isEqualTo("failed password");
    }

    /** A file touched to the epoch, or to a future date, leaves no line its year: the year of now. */
    @Test
    void aFilesModificationTimeNoLineCanHaveGivesWayToNow() {
        Instant now = Instant.parse("2026-03-05T10:00:00Z");
        Instant written = Instant.parse("2026-03-02T12:00:00Z");
        assertThat(ParseOptions.referenceOf(written, now)).isEqualTo(written);
        assertThat(ParseOptions.referenceOf(Instant.EPOCH, now)).isEqualTo(now);
        assertThat(ParseOptions.referenceOf(Instant.parse("2030-03-02T12:00:00Z"), now))
                .isEqualTo(now);
        SshdLogParser touched =
                new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 0, ParseOptions.referenceOf(Instant.EPOCH, now)));
        assertThat(touched.parse("Mar  2 09:01:40 h sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2")
                        .authentication()
                        .timestamp)
                .isEqualTo(Instant.parse("2026-03-02T09:01:40Z").toEpochMilli());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Failed password for invalid user admin from 203.0.113.9 port 4711 ssh2| admin| false| 1| invalid user, failed password",
                "message repeated 5 times: [ Failed password for root from 203.0.113.9 port 4711 ssh2]| root| false| 5| failed password",
                "Failed none for invalid user test from 203.0.113.9 port 4711 ssh2| test| false| 0| invalid user, failed none",
                "Failed keyboard-interactive/pam for alice from 203.0.113.9 port 4711 ssh2| alice| false| 1| failed keyboard-interactive/pam",
                "Accepted publickey for deploy from 203.0.113.9 port 4711 ssh2: ED25519 SHA256:abc| deploy| true| 1| accepted publickey",
                "Accepted password for bob from 203.0.113.9 port 4711 ssh2| bob| true| 1| accepted password",
                "Invalid user webmaster from 203.0.113.9| webmaster| false| 0| invalid user",
                "Invalid user oracle from 203.0.113.9 port 4711| oracle| false| 0| invalid user",
                "error: maximum authentication attempts exceeded for root from 203.0.113.9 port 4711 ssh2 [preauth]| root| false| 0| maximum authentication attempts exceeded",
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root| root| false| 0| pam authentication failure"
            })
    void readsEveryAuthenticationLine(String message, String user, boolean success, int attempts, String detail) {
        AuthEvent e = auth("Mar  2 09:14:07 bastion sshd[24200]: " + message);
        assertThat(e.sourceIp).isEqualTo("203.0.113.9");
        assertThat(e.user).isEqualTo(user);
        assertThat(e.success).isEqualTo(success);
        assertThat(e.attempts).isEqualTo(attempts);
        assertThat(e.detail).isEqualTo(detail);
    }

    /** OpenSSH 9.8 logs each connection as sshd-session, 10.0 its authentication as sshd-auth (Debian 13's lines). */
    @ParameterizedTest
    @CsvSource({"sshd-session", "sshd-auth"})
    void readsTheLinesOfOpenSshsSplitDaemons(String program) {
        AuthEvent e = auth("2026-12-02T10:26:01.949573+00:00 bastion " + program
                + "[9671]: Failed password for root from 203.0.113.70 port 34483 ssh2");
        assertThat(e.sourceIp).isEqualTo("203.0.113.70");
        assertThat(e.attempts).isEqualTo(1);
        assertThat(parser.parse("2026-12-02T10:26:01.949573+00:00 bastion sshd-agent[9]: Failed password for root"
                                + " from 203.0.113.70 port 34483 ssh2")
                        .kind())
                .as("another program whose name starts the same")
                .isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    /** An account name that reads as an address must not move the guess to that address. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Failed password for invalid user x from 10.20.1.10 port 22 ssh2 from 203.0.113.9 port 4711 ssh2| x from 10.20.1.10 port 22 ssh2",
                "message repeated 3 times: [ Failed password for x from 10.20.1.10 port 22 from 203.0.113.9 port 4711 ssh2]| x from 10.20.1.10 port 22",
                "Accepted password for x from 10.20.1.10 port 22 from 203.0.113.9 port 4711 ssh2| x from 10.20.1.10 port 22",
                "Invalid user x from 10.20.1.10 port 22 from 203.0.113.9 port 4711| x from 10.20.1.10 port 22",
                "Invalid user x from 10.20.1.10 from 203.0.113.9| x from 10.20.1.10",
                "error: maximum authentication attempts exceeded for invalid user x from 10.20.1.10 port 22 from 203.0.113.9 port 4711 ssh2 [preauth]| x from 10.20.1.10 port 22",
                "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=x rhost=10.20.1.10| x"
            })
    void anAccountNameCannotNameTheSource(String message, String user) {
        AuthEvent e = auth("Mar  2 09:14:07 bastion sshd[24200]: " + message);
        assertThat(e.sourceIp).isEqualTo("203.0.113.9");
        assertThat(e.user).isEqualTo(user);
    }

    @Test
    void aGuessedAccountNameIsCut() {
        AuthEvent e = auth("Mar  2 09:14:07 bastion sshd[1]: Failed password for invalid user " + "A".repeat(100_000)
                + " from 203.0.113.9 port 4711 ssh2");
        assertThat(e.user).hasSize(FieldValues.MAX_ACCOUNT_CHARS);
    }

    @Test
    void readsRfc3339TimestampsAndIpv6() {
        AuthEvent e = auth(
                "2026-03-02T09:14:07.250+01:00 bastion sshd[9]: Failed password for root from 2001:db8::9 port 22 ssh2");
        assertThat(e.timestamp)
                .isEqualTo(Instant.parse("2026-03-02T08:14:07.250Z").toEpochMilli());
        assertThat(e.sourceIp).isEqualTo("2001:db8::9");
    }

    /** A template writing local time in ISO form, without its offset: read in the input's zone, as traditional times. */
    @Test
    void readsAnIsoTimeWithoutOffsetInTheInputsZone() {
        ParseOptions newYork =
                new ParseOptions(ZoneId.of("America/New_York"), 0, Instant.parse("2026-03-02T12:00:00Z"));
        ParsedLine parsed = new SshdLogParser(newYork)
                .parse(
                        "2026-03-02T09:14:07.250 bastion sshd[9]: Failed password for root from 203.0.113.9 port 22 ssh2");
        assertThat(parsed.kind()).as(parsed.toString()).isEqualTo(ParsedLine.Kind.AUTHENTICATION);
        assertThat(parsed.authentication().timestamp)
                .isEqualTo(Instant.parse("2026-03-02T14:14:07.250Z").toEpochMilli());
        assertThat(auth("2026-03-02T09:14:07 bastion sshd[9]: Failed password for root from 203.0.113.9 port 22 ssh2")
                        .timestamp)
                .isEqualTo(Instant.parse("2026-03-02T09:14:07Z").toEpochMilli());
    }

    /** 29 February is in a leap year: the latest one that does not put the line after the file was written. */
    @ParameterizedTest(name = "written {0}")
    @CsvSource({
        "2029-03-01T00:00:00Z, 2028-02-29T09:01:40Z",
        "2028-03-01T00:00:00Z, 2028-02-29T09:01:40Z",
        "2028-02-01T00:00:00Z, 2024-02-29T09:01:40Z",
        "2101-01-01T00:00:00Z, 2096-02-29T09:01:40Z"
    })
    void aLeapDayLineIsGivenALeapYear(String written, String expected) {
        SshdLogParser parser = new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.parse(written)));
        assertThat(parser.parse("Feb 29 09:01:40 h sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2")
                        .authentication()
                        .timestamp)
                .isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @Test
    void aLeapDayOutsideTheConfiguredYearSaysSo() {
        SshdLogParser parser = new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 2026, Instant.EPOCH));
        assertThat(parser.parse("Feb 29 09:01:40 h sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2")
                        .reason())
                .isEqualTo("'Feb 29 09:01:40' is not a day of 2026, the syslog year configured (parsing.syslog-year)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Feb 30 09:01:40", "Apr 31 09:01:40", "Jan  0 09:01:40"})
    void aDayNoMonthHasIsNoTimestamp(String stamp) {
        SshdLogParser parser =
                new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.parse("2028-03-01T00:00:00Z")));
        ParsedLine parsed = parser.parse(stamp + " h sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2");
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(parsed.reason()).contains("no syslog timestamp");
    }

    @Test
    void aDecemberLineReadInJanuaryBelongsToLastYear() {
        SshdLogParser january =
                new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.parse("2026-01-03T00:00:00Z")));
        AuthEvent e = january.parse("Dec 31 23:59:59 h sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2")
                .authentication();
        assertThat(e.timestamp).isEqualTo(Instant.parse("2025-12-31T23:59:59Z").toEpochMilli());
        SshdLogParser lastDay =
                new SshdLogParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.parse("2025-12-31T23:30:00Z")));
        assertThat(lastDay.parse("Jan  1 00:10:00 h sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2")
                        .authentication()
                        .timestamp)
                .as("a sensor ahead of the file's clock on 31 December: the next year's, within the day of slack")
                .isEqualTo(Instant.parse("2026-01-01T00:10:00Z").toEpochMilli());
        SshdLogParser fixed = new SshdLogParser(new ParseOptions(ZoneOffset.ofHours(8), 2017, Instant.EPOCH));
        assertThat(fixed.parse("Dec 10 06:55:46 LabSZ sshd[1]: Invalid user a from 203.0.113.9")
                        .authentication()
                        .timestamp)
                .isEqualTo(Instant.parse("2017-12-09T22:55:46Z").toEpochMilli());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Mar  2 09:14:07 bastion sshd[24200]: Received disconnect from 203.0.113.9: 11: Bye Bye [preauth]| sshd message not about authentication",
                "Mar  2 09:14:07 bastion CRON[11]: pam_unix(cron:session): session opened for user root| not an sshd line",
                "Mar  2 09:14:07 bastion sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=ec2-52-80-34-196.compute.amazonaws.com.cn| PAM failure without a source address"
            })
    void skipsWhatIsNotAnAttempt(String line, String reason) {
        ParsedLine parsed = parser.parse(line);
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parsed.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Foo  2 09:14:07 bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2| no syslog timestamp",
                "Feb 30 09:14:07 bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2| no syslog timestamp",
                "Mar  2 09:14:07 bastion sshd[1]: Failed password for root from 203.0.113.999 port 1 ssh2| source address is not an IP address",
                "Mar  2 09:14:07 bastion sshd[1]: Failed password for root from 203.0.113.9 port 99999 ssh2| source port is not a port",
                "Mar  2 09:14:07 bastion sshd[1]: message repeated 4294967297 times: [ Failed password for root from 203.0.113.9 port 1 ssh2]| 'message repeated 4294967297 times': too many to be a count",
                "Mar  2 09:14:07 bastion| no host and tag",
                "yesterday bastion sshd[1]: hello| no syslog timestamp"
            })
    void rejectsBrokenLines(String line, String reason) {
        ParsedLine parsed = parser.parse(line);
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(parsed.reason()).contains(reason);
    }
}
