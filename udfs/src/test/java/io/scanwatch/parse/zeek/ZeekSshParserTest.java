package io.scanwatch.parse.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.parse.ParsedLine;
import org.junit.jupiter.api.Test;

class ZeekSshParserTest {
    private final ZeekSshParser parser = new ZeekSshParser();

    @Test
    void aSessionWithFailedGuessesIsOneEventCountingThem() {
        ParsedLine parsed = parser.parse(
                "{\"ts\":1599755507.468005,\"uid\":\"C1\",\"id.orig_h\":\"112.85.42.94\","
                        + "\"id.orig_p\":32140,\"id.resp_h\":\"192.168.1.194\",\"id.resp_p\":22,\"version\":2,"
                        + "\"auth_success\":false,\"auth_attempts\":3,\"direction\":\"INBOUND\",\"client\":\"SSH-2.0-libssh-0.6.3\"}");
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.AUTHENTICATION);
        AuthEvent e = parsed.authentication();
        assertThat(e.timestamp).isEqualTo(1599755507468L);
        assertThat(e.sourceIp).isEqualTo("112.85.42.94");
        assertThat(e.targetIp).isEqualTo("192.168.1.194");
        assertThat(e.targetHost).isEqualTo("192.168.1.194");
        assertThat(e.targetPort).isEqualTo(22);
        assertThat(e.service).isEqualTo("ssh");
        assertThat(e.user).isNull();
        assertThat(e.success).isFalse();
        assertThat(e.attempts).isEqualTo(3);
        assertThat(e.detail).isEqualTo("SSH-2.0-libssh-0.6.3");
    }

    @Test
    void aLineOfAnotherZeekLogIsSkipped() {
        ParsedLine parsed = parser.parse("{\"_path\":\"notice\",\"ts\":1599755507.4,\"id.orig_h\":\"194.88.107.165\","
                + "\"id.resp_h\":\"192.168.1.194\",\"id.resp_p\":22,\"auth_success\":true,\"auth_attempts\":1}");
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parsed.reason()).isEqualTo("a line of Zeek's notice.log, not ssh.log");
    }

    @Test
    void aSuccessIsASuccess() {
        AuthEvent e = parser.parse(
                        "{\"ts\":1599755507.4,\"id.orig_h\":\"194.88.107.165\",\"id.resp_h\":\"192.168.1.194\","
                                + "\"id.resp_p\":22,\"auth_success\":true,\"auth_attempts\":1}")
                .authentication();
        assertThat(e.success).isTrue();
        assertThat(e.attempts).isEqualTo(1);
    }

    @Test
    void sessionsThatNeverAuthenticatedAreSkipped() {
        ParsedLine parsed = parser.parse("{\"ts\":1599755438.57536,\"id.orig_h\":\"63.143.42.242\",\"id.orig_p\":54488,"
                + "\"id.resp_h\":\"192.168.1.194\",\"id.resp_p\":22,\"auth_attempts\":0,\"direction\":\"INBOUND\"}");
        assertThat(parsed.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    @Test
    void readsTsv() {
        for (String header : new String[] {
            "#separator \\x09",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h"
                    + "\tid.resp_p\tversion\tauth_success\tauth_attempts\tdirection\tclient"
        }) {
            assertThat(parser.parse(header).kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        }
        AuthEvent e = parser.parse("1599755507.468005\tC1\t218.92.0.202\t4000\t10.0.0.22\t22\t2\tF\t4\tINBOUND\t-")
                .authentication();
        assertThat(e.success).isFalse();
        assertThat(e.attempts).isEqualTo(4);
        assertThat(e.detail).isNull();
    }

    @Test
    void rejectsBrokenRecords() {
        assertThat(parser.parse(
                                "{\"ts\":1599755507.4,\"id.orig_h\":\"x\",\"id.resp_h\":\"10.0.0.1\",\"auth_success\":true}")
                        .reason())
                .isEqualTo("id.orig_h is not an IP address: 'x'");
        assertThat(parser.parse("{\"ts\":1599755507.4,\"id.orig_h\":\"10.0.0.2\",\"id.resp_h\":\"10.0.0.1\","
                                + "\"auth_success\":\"maybe\"}")
                        .reason())
                .contains("auth_success is not a boolean");
        assertThat(parser.parse("{\"id.orig_h\":\"10.0.0.2\"}").reason()).isEqualTo("missing ts");
    }
}
