package io.scanwatch.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.parse.catalog.TelemetryFormat;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Local times where summer time begins and ends, as a sensor in New York prints them: the hour that comes twice
 * (1 November 2026, 01:00-01:59) and the hour that never comes (8 March 2026, 02:00-02:59).
 */
class LocalClockTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static long at(LocalClock clock, String local) {
        return clock.epochMilli(LocalDateTime.parse(local));
    }

    private static long utc(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void aLogThroughTheRepeatedHourStaysInOrder() {
        LocalClock clock = new LocalClock(NEW_YORK);
        assertThat(at(clock, "2026-11-01T00:59:00")).isEqualTo(utc("2026-11-01T04:59:00Z"));
        assertThat(at(clock, "2026-11-01T01:30:00"))
                .as("first time round: summer time")
                .isEqualTo(utc("2026-11-01T05:30:00Z"));
        assertThat(at(clock, "2026-11-01T01:59:59")).isEqualTo(utc("2026-11-01T05:59:59Z"));
        assertThat(at(clock, "2026-11-01T01:00:00")).as("second time round").isEqualTo(utc("2026-11-01T06:00:00Z"));
        assertThat(at(clock, "2026-11-01T01:20:00")).isEqualTo(utc("2026-11-01T06:20:00Z"));
        assertThat(at(clock, "2026-11-01T02:00:00")).isEqualTo(utc("2026-11-01T07:00:00Z"));
    }

    /** Exporters write flows minutes out of order: a record a little behind the previous one stays in its hour. */
    @Test
    void aRecordALittleOutOfOrderInTheRepeatedHourKeepsItsOffset() {
        LocalClock clock = new LocalClock(NEW_YORK);
        at(clock, "2026-11-01T01:32:00");
        assertThat(at(clock, "2026-11-01T01:29:00")).isEqualTo(utc("2026-11-01T05:29:00Z"));
        at(clock, "2026-11-01T01:59:30");
        assertThat(at(clock, "2026-11-01T01:00:10")).as("the second time round").isEqualTo(utc("2026-11-01T06:00:10Z"));
        assertThat(at(clock, "2026-11-01T01:00:02")).isEqualTo(utc("2026-11-01T06:00:02Z"));
    }

    @Test
    void aStreamThatStartsInTheRepeatedHourStartsInSummerTime() {
        assertThat(at(new LocalClock(NEW_YORK), "2026-11-01T01:10:00")).isEqualTo(utc("2026-11-01T05:10:00Z"));
    }

    @Test
    void aTimeInTheSkippedHourIsMovedOnByTheGap() {
        LocalClock clock = new LocalClock(NEW_YORK);
        assertThat(at(clock, "2026-03-08T01:59:00")).isEqualTo(utc("2026-03-08T06:59:00Z"));
        assertThat(at(clock, "2026-03-08T02:30:00")).isEqualTo(utc("2026-03-08T07:30:00Z"));
        assertThat(at(clock, "2026-03-08T03:30:00")).isEqualTo(utc("2026-03-08T07:30:00Z"));
    }

    /**
     * A hostile trial's scan through the change, as a firewall in New York logs it: ten probes at 01:59:50-59 summer
     * time, twenty at 01:00:00-19 standard time, thirty seconds of one scan. Read with java.time's offset alone, the
     * twenty came an hour early and the scan fell apart.
     */
    @Test
    void aScanThroughTheChangeIsReadAsOneScanFromSyslogLinesAndNfdumpFlows() {
        List<String> stamps = new ArrayList<>();
        for (int second = 50; second <= 59; second++) {
            stamps.add("01:59:" + second);
        }
        for (int second = 0; second <= 19; second++) {
            stamps.add(String.format("01:00:%02d", second));
        }
        ParseOptions options = new ParseOptions(NEW_YORK, 2026, Instant.parse("2026-11-02T00:00:00Z"));
        for (TelemetryFormat format : List.of(TelemetryFormat.NETFILTER, TelemetryFormat.NFDUMP_JSON)) {
            LineParser parser = format.newParser(options);
            List<Long> times = new ArrayList<>();
            for (String stamp : stamps) {
                String line = format == TelemetryFormat.NETFILTER
                        ? "Nov  1 " + stamp + " fw01 kernel: DROP-IN IN=eth0 OUT= SRC=198.51.100.7 DST=10.20.5."
                                + (times.size() + 1) + " LEN=44 PROTO=TCP SPT=61000 DPT=3389 SYN"
                        : "{\"type\":\"FLOW\",\"first\":\"2026-11-01T" + stamp + ".000\",\"proto\":6,"
                                + "\"tcp_flags\":\"......S.\",\"src_port\":61000,\"dst_port\":3389,"
                                + "\"src4_addr\":\"198.51.100.7\",\"dst4_addr\":\"10.20.5." + (times.size() + 1)
                                + "\",\"in_packets\":1,\"in_bytes\":60}";
                ParsedLine parsed = parser.parse(line);
                assertThat(parsed.kind()).as(line + ": " + parsed).isEqualTo(ParsedLine.Kind.CONNECTION);
                times.add(parsed.connection().timestamp);
            }
            assertThat(times).as(format.id()).isSorted();
            assertThat(times.get(times.size() - 1) - times.get(0))
                    .as(format.id())
                    .isEqualTo(29_000L);
        }
    }

    /**
     * NXLog's file of one Windows host: Sysmon events stamped in UTC between its Security events in local time. A
     * logon failure of the second 01:12, fifty minutes after the host's last Security event, follows the Sysmon event
     * of 06:10 UTC before it (a re-trial lost such a logon, read at the summer offset, an hour before its scan).
     */
    @Test
    void recordsThatSayTheirOffsetKeepTheClockOfTheLocalOnesNearby() {
        LineParser parser = TelemetryFormat.WINDOWS_JSON.newParser(
                new ParseOptions(NEW_YORK, 0, Instant.parse("2026-11-02T00:00:00Z")));
        assertThat(logonAt(parser, "2026-11-01 01:20:00")).isEqualTo(utc("2026-11-01T05:20:00Z"));
        for (String utc : List.of("05:30", "05:40", "05:50", "06:00", "06:10")) {
            ParsedLine sysmon = parser.parse(("{'EventID':3,'Channel':'Microsoft-Windows-Sysmon/Operational',"
                            + "'UtcTime':'2026-11-01 " + utc + ":00.000','SourceIp':'10.18.39.5','SourcePort':'51883',"
                            + "'DestinationIp':'10.18.38.5','DestinationPort':'445','Protocol':'tcp'}")
                    .replace('\'', '"'));
            assertThat(sysmon.kind()).as(sysmon.toString()).isEqualTo(ParsedLine.Kind.CONNECTION);
        }
        assertThat(logonAt(parser, "2026-11-01 01:12:00")).isEqualTo(utc("2026-11-01T06:12:00Z"));
    }

    private static long logonAt(LineParser parser, String eventTime) {
        ParsedLine parsed = parser.parse(("{'EventTime':'" + eventTime + "','EventID':4625,'Channel':'Security',"
                        + "'Hostname':'DC01','TargetUserName':'admin','IpAddress':'203.0.113.9','IpPort':'50022',"
                        + "'LogonType':'3','Status':'0xc000006d'}")
                .replace('\'', '"'));
        assertThat(parsed.kind()).as(parsed.toString()).isEqualTo(ParsedLine.Kind.AUTHENTICATION);
        return parsed.authentication().timestamp;
    }
}
