package io.scanwatch.parse.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.event.Outcome;
import io.scanwatch.event.Transport;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.ParsedLine;
import io.scanwatch.parse.catalog.TelemetryFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WindowsEventParserTest {
    private final WindowsEventParser parser =
            new WindowsEventParser(new ParseOptions(ZoneOffset.ofHours(-4), 0, Instant.parse("2026-03-02T12:00:00Z")));

    private ParsedLine parse(String json) {
        return parser.parse(json.replace('\'', '"'));
    }

    @Test
    void sysmonNetworkConnectFlat() {
        ParsedLine parsed = parse("{'@timestamp':'2026-03-02T09:00:05.710Z','EventID':3,"
                + "'Channel':'Microsoft-Windows-Sysmon/Operational','Hostname':'WS5.corp.local','UtcTime':'2026-03-02 09:00:02.005',"
                + "'SourceIp':'10.18.39.5','SourcePort':'51883','DestinationIp':'10.18.38.5','DestinationPort':'445',"
                + "'Protocol':'tcp','Initiated':'true','Image':'C:\\\\Windows\\\\System32\\\\lsass.exe'}");
        assertThat(parsed.kind()).as(parsed.toString()).isEqualTo(ParsedLine.Kind.CONNECTION);
        ConnectionEvent c = parsed.connection();
        assertThat(c.timestamp)
                .isEqualTo(Instant.parse("2026-03-02T09:00:02.005Z").toEpochMilli());
        assertThat(c.sourceIp).isEqualTo("10.18.39.5");
        assertThat(c.destinationIp).isEqualTo("10.18.38.5");
        assertThat(c.destinationPort).isEqualTo(445);
        assertThat(c.transport).isEqualTo(Transport.TCP);
        assertThat(c.outcome).isEqualTo(Outcome.UNKNOWN);
        assertThat(c.format).isEqualTo("windows-json");
    }

    /**
     * Sysmon's {@code UtcTime} as Sysmon writes it and as pipelines that normalise times rewrite it (ISO 8601, with Z
     * or an offset): the same instant, not the collector's {@code @timestamp} nor a dead letter.
     */
    @Test
    void sysmonUtcTimeIsReadInSysmonsFormAndInIso() {
        readAt(
                ParsedLine.Kind.CONNECTION,
                "2026-03-02T09:00:02.005Z",
                utc -> "{'@timestamp':'2026-03-02T09:00:05.710Z','EventID':3,"
                        + "'Channel':'Microsoft-Windows-Sysmon/Operational','UtcTime':'" + utc + "',"
                        + "'SourceIp':'10.18.39.5','SourcePort':'51883','DestinationIp':'10.18.38.5',"
                        + "'DestinationPort':'445','Protocol':'tcp','Initiated':'true'}",
                "2026-03-02 09:00:02.005",
                "2026-03-02T09:00:02.005Z",
                "2026-03-02T09:00:02.005",
                "2026-03-02T10:00:02.005+01:00",
                "2026-03-02T09:00:02.0050000Z");
        assertThat(parse("{'EventID':3,'Channel':'Microsoft-Windows-Sysmon/Operational','UtcTime':'02/03/2026 09:00',"
                                + "'SourceIp':'10.18.39.5','SourcePort':'51883','DestinationIp':'10.18.38.5',"
                                + "'DestinationPort':'445','Protocol':'tcp'}")
                        .kind())
                .isEqualTo(ParsedLine.Kind.REJECTED);
    }

    /**
     * NXLog's {@code EventTime} as local time (in the configured zone, here UTC-4) and in ISO 8601 with microseconds
     * and an offset, and {@code @timestamp} with an offset written without a colon: the same instant. A trial found
     * the ISO forms dead letters, every logon of such a collector lost.
     */
    @Test
    void eventTimeAndTimestampAreReadWithTheirOffsets() {
        readAt(
                ParsedLine.Kind.AUTHENTICATION,
                "2026-03-02T09:25:00Z",
                time -> "{" + time + ",'EventID':4625,'Channel':'Security','Hostname':'DC01',"
                        + "'TargetUserName':'admin','IpAddress':'203.0.113.9','IpPort':'50022','LogonType':'3',"
                        + "'Status':'0xc000006d'}",
                "'EventTime':'2026-03-02 05:25:00'",
                "'EventTime':'2026-03-02T10:25:00.000000+01:00'",
                "'EventTime':'2026-03-02T10:25:00+01:00'",
                "'EventTime':'2026-03-02T09:25:00Z'",
                "'@timestamp':'2026-03-02T10:25:00.000+0100'",
                "'@timestamp':'2026-03-02T10:25:00+01'",
                "'@timestamp':'2026-03-02T09:25:00.000Z'");
    }

    /** The event each time gives is read as {@code kind} (a connection or a logon) at {@code expected}. */
    private void readAt(ParsedLine.Kind kind, String expected, Function<String, String> event, String... times) {
        for (String time : times) {
            ParsedLine parsed = parse(event.apply(time));
            assertThat(parsed.kind()).as(time + ": " + parsed).isEqualTo(kind);
            long at = kind == ParsedLine.Kind.CONNECTION
                    ? parsed.connection().timestamp
                    : parsed.authentication().timestamp;
            assertThat(at).as(time).isEqualTo(Instant.parse(expected).toEpochMilli());
        }
    }

    /** A connection's line as {@code ss} prints it: transport, initiator, responder. */
    private String endpoints(String json) {
        ConnectionEvent c = parse(json).connection();
        return c.transport + " " + c.sourceIp + ":" + c.sourcePort + " -> " + c.destinationIp + ":" + c.destinationPort;
    }

    /**
     * As the OTRF domain controller's Sysmon wrote a workstation's LDAP query over UDP it received (Initiated false,
     * its own port 389 as the source) and a TCP connection it accepted (the workstation as the source).
     */
    @Test
    void sysmonReceivedDatagramIsReadFromTheHostThatSentIt() {
        String sysmon = "{'@timestamp':'2020-10-22T08:30:07.111Z','EventID':3,"
                + "'Channel':'Microsoft-Windows-Sysmon/Operational','Hostname':'MORDORDC.theshire.local',"
                + "'UtcTime':'2020-10-22 08:29:52.475','Initiated':'false',";
        assertThat(endpoints(sysmon + "'SourceIp':'172.18.38.5','SourcePort':'389','DestinationIp':'172.18.39.5',"
                        + "'DestinationPort':'51883','Protocol':'udp'}"))
                .isEqualTo("UDP 172.18.39.5:51883 -> 172.18.38.5:389");
        assertThat(endpoints(sysmon + "'SourceIp':'172.18.39.5','SourcePort':'58178','DestinationIp':'172.18.38.5',"
                        + "'DestinationPort':'389','Protocol':'tcp'}"))
                .isEqualTo("TCP 172.18.39.5:58178 -> 172.18.38.5:389");
    }

    /**
     * Winlogbeat's default Sysmon module moves a NetworkConnect's addresses and ports to ECS fields and its
     * Initiated flag to {@code network.direction}; a record without {@code winlog.event_id} names its event in
     * {@code event.code} and its channel by provider.
     */
    @Test
    void winlogbeatSysmonModuleFieldsAreRead() {
        assertThat(endpoints("{'@timestamp':'2020-10-22T08:29:52.475Z','event':{'code':'3'},"
                        + "'winlog':{'provider_name':'Microsoft-Windows-Sysmon','event_data':{'UtcTime':"
                        + "'2020-10-22 08:29:52.475'}},'source':{'ip':'172.18.38.5','port':389},"
                        + "'destination':{'ip':'172.18.39.5','port':51883},"
                        + "'network':{'transport':'udp','direction':'ingress'}}"))
                .isEqualTo("UDP 172.18.39.5:51883 -> 172.18.38.5:389");
        assertThat(endpoints("{'@timestamp':'2020-10-22T08:29:52.005Z','winlog':{'event_id':3,"
                        + "'channel':'Microsoft-Windows-Sysmon/Operational'},'source':{'ip':'172.18.39.5','port':51883},"
                        + "'destination':{'ip':'172.18.38.5','port':389},"
                        + "'network':{'transport':'udp','direction':'egress'}}"))
                .isEqualTo("UDP 172.18.39.5:51883 -> 172.18.38.5:389");
        String answer = "{'@timestamp':'2020-10-22T08:29:52.475Z','event':{'code':'3','provider':"
                + "'Microsoft-Windows-Sysmon'},'winlog':{'computer_name':'MORDORDC'},'source':{'ip':'172.18.38.5',"
                + "'port':53},'destination':{'ip':'172.18.39.5','port':62908},'network':{'transport':'udp'";
        assertThat(endpoints(answer + ",'direction':'Ingress'}}"))
                .as("the direction in any case")
                .isEqualTo("UDP 172.18.39.5:62908 -> 172.18.38.5:53");
        assertThat(endpoints(answer + "}}"))
                .as("without a direction, a datagram from a service's port to a client's is the service's side")
                .isEqualTo("UDP 172.18.39.5:62908 -> 172.18.38.5:53");
    }

    @Test
    void securityFilteringPlatformPermittedAndBlocked() {
        ConnectionEvent permitted = parse("{'@timestamp':'2026-03-02T09:00:05Z','EventID':5156,'Channel':'security',"
                        + "'SourceAddress':'10.18.39.5','SourcePort':'50100','DestAddress':'10.18.39.6','DestPort':'5985',"
                        + "'Protocol':'6','Direction':'%%14593'}")
                .connection();
        assertThat(permitted.transport).isEqualTo(Transport.TCP);
        assertThat(permitted.outcome).isEqualTo(Outcome.UNKNOWN);
        assertThat(permitted.sensorState).isEqualTo("event 5156 outbound");
        ConnectionEvent blocked = parse(
                        "{'@timestamp':'2026-03-02T09:00:05Z','EventID':5157,'SourceAddress':'10.18.39.5',"
                                + "'SourcePort':'50100','DestAddress':'10.18.39.6','DestPort':'135','Protocol':'17','Direction':'%%14592'}")
                .connection();
        assertThat(blocked.outcome).isEqualTo(Outcome.REJECTED);
        assertThat(blocked.transport).isEqualTo(Transport.UDP);
    }

    /** As the OTRF capture's hosts wrote a ping: the type is the sender's port, on both ends' events. */
    @Test
    void icmpTypeAndCodeAreNotPorts() {
        String sent = "{'@timestamp':'2026-03-02T09:00:05Z','EventID':5156,'SourceAddress':'172.18.39.5',"
                + "'SourcePort':'8','DestAddress':'172.18.38.5','DestPort':'0','Protocol':'1','Direction':'%%14593'}";
        String received = "{'@timestamp':'2026-03-02T09:00:05Z','EventID':5156,'SourceAddress':'172.18.39.5',"
                + "'SourcePort':'0','DestAddress':'172.18.38.5','DestPort':'8','Protocol':'1','Direction':'%%14592'}";
        for (String echoRequest : new String[] {sent, received}) {
            ParsedLine parsed = parse(echoRequest);
            assertThat(parsed.kind()).as(parsed.toString()).isEqualTo(ParsedLine.Kind.CONNECTION);
            ConnectionEvent ping = parsed.connection();
            assertThat(ping.transport).isEqualTo(Transport.ICMP);
            assertThat(ping.sourcePort).isEqualTo(-1);
            assertThat(ping.destinationPort).isEqualTo(-1);
        }
        ParsedLine reply = parse(
                received.replace("'SourcePort':'0'", "'SourcePort':'8'").replace("'DestPort':'8'", "'DestPort':'0'"));
        assertThat(reply.kind()).isEqualTo(ParsedLine.Kind.SKIPPED);
        ParsedLine v6 = parse(
                sent.replace("'Protocol':'1'", "'Protocol':'58'").replace("'SourcePort':'8'", "'SourcePort':'128'"));
        assertThat(v6.kind()).isEqualTo(ParsedLine.Kind.CONNECTION);
    }

    @Test
    void networkLogonsBothShapes() {
        AuthEvent flat = parse("{'@timestamp':'2026-03-02T09:00:03.908Z','EventID':4624,'Channel':'Security',"
                        + "'Hostname':'DC01.corp.local','TargetUserName':'pgustavo','IpAddress':'10.18.39.5','IpPort':'58179',"
                        + "'LogonType':'3'}")
                .authentication();
        assertThat(flat.success).isTrue();
        assertThat(flat.sourceIp).isEqualTo("10.18.39.5");
        assertThat(flat.sourcePort).isEqualTo(58179);
        assertThat(flat.targetHost).isEqualTo("DC01.corp.local");
        assertThat(flat.user).isEqualTo("pgustavo");
        assertThat(flat.service).isEqualTo("windows");
        assertThat(flat.detail).isEqualTo("event 4624, logon type 3");

        AuthEvent beat = parse("{'@timestamp':'2026-03-02T09:00:03.908Z','event':{'code':'4625'},"
                        + "'winlog':{'channel':'Security','event_id':'4625','computer_name':'WS6',"
                        + "'event_data':{'TargetUserName':'admin','IpAddress':'203.0.113.9','IpPort':'0','LogonType':'3',"
                        + "'Status':'0xc000006d','SubStatus':'0xc000006a'}}}")
                .authentication();
        assertThat(beat.success).isFalse();
        assertThat(beat.targetHost).isEqualTo("WS6");
        assertThat(beat.sourceIp).isEqualTo("203.0.113.9");
        assertThat(beat.detail).isEqualTo("event 4625, logon type 3, status 0xc000006d, substatus 0xc000006a");
    }

    @Test
    void kerberosPreAuthFailureFromAMappedAddressIsTheIpv4Host() {
        AuthEvent e = parse(
                        "{'@timestamp':'2026-03-02T09:00:03Z','EventID':4771,'Hostname':'DC01',"
                                + "'TargetUserName':'sbeavers','IpAddress':'::ffff:10.18.39.5','IpPort':'50211','Status':'0x18'}")
                .authentication();
        assertThat(e.sourceIp).isEqualTo("10.18.39.5");
        assertThat(e.service).isEqualTo("kerberos");
        assertThat(e.success).isFalse();
    }

    @Test
    void localTimeNeedsTheConfiguredZone() {
        ConnectionEvent c = parse("{'EventID':5156,'EventTime':'2026-03-02 04:29:53','SourceAddress':'10.0.0.1',"
                        + "'DestAddress':'10.0.0.2','DestPort':'445','Protocol':'6'}")
                .connection();
        assertThat(c.timestamp).isEqualTo(Instant.parse("2026-03-02T08:29:53Z").toEpochMilli());
    }

    @Test
    void skipsWhatCarriesNoRemoteAttempt() {
        assertThat(parse("{'@timestamp':'2026-03-02T09:00:03Z','EventID':4625,'IpAddress':'-','LogonType':'2'}")
                        .reason())
                .isEqualTo("logon without a source address (local)");
        assertThat(parse("{'@timestamp':'2026-03-02T09:00:03Z','EventID':4624,'IpAddress':'::1'}")
                        .reason())
                .isEqualTo("logon from the host itself");
        // As OTRF's PurpleSharp capture holds them: SMB null sessions, and a computer account's logon, which is one
        // (a created machine account is an attacker's foothold, a trailing $ hides a user's).
        assertThat(parse("{'@timestamp':'2020-10-22T08:30:03Z','EventID':4624,'IpAddress':'172.18.39.7',"
                                + "'LogonType':'3','TargetUserName':'ANONYMOUS LOGON','TargetUserSid':'S-1-5-7'}")
                        .reason())
                .startsWith("anonymous logon");
        assertThat(parse("{'@timestamp':'2020-10-22T08:30:03Z','EventID':4624,'IpAddress':'172.18.39.7',"
                                + "'LogonType':'3','TargetUserName':'WORKSTATION7$'}")
                        .kind())
                .isEqualTo(ParsedLine.Kind.AUTHENTICATION);
        assertThat(parse("{'@timestamp':'2026-03-02T09:00:03Z','EventID':4776,'Workstation':'WS5'}")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
        assertThat(parse("{'@timestamp':'2026-03-02T09:00:03Z','EventID':4672}").reason())
                .isEqualTo("event 4672 not watched");
        assertThat(parse("{'@timestamp':'2026-03-02T09:00:03Z','EventID':3,'Channel':'Application'}")
                        .kind())
                .isEqualTo(ParsedLine.Kind.SKIPPED);
    }

    @Test
    void rejectsBrokenRecords() {
        assertThat(parse("{'EventID':5156,'SourceAddress':'10.0.0.1','DestAddress':'10.0.0.2'}")
                        .reason())
                .contains("no time");
        assertThat(parse("{'@timestamp':'2026-03-02T09:00:03Z','EventID':5156,'SourceAddress':'10.0.0.1',"
                                + "'DestAddress':'10.0.0.2','DestPort':'70000'}")
                        .reason())
                .isEqualTo("DestPort is not a port: '70000'");
        assertThat(parse("{'@timestamp':'yesterday','EventID':4624,'IpAddress':'10.0.0.1'}")
                        .kind())
                .isEqualTo(ParsedLine.Kind.REJECTED);
        assertThat(parse("{'Channel':'Security'}").reason()).isEqualTo("no EventID");
        assertThat(parser.parse("{\"EventID\":").reason()).startsWith("malformed JSON");
    }

    /** Event Viewer and wevtutil export XML: the reason says to export JSON, not where Jackson stumbled. */
    @Test
    void anEventInXmlSaysToExportJson() {
        String xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
                + "<EventID>4625</EventID></System></Event>";
        assertThat(parse(xml).reason()).isEqualTo(WindowsEventParser.XML_REASON).contains("export events as JSON");
        assertThat(TelemetryFormat.AUTO
                        .newParser(new ParseOptions(ZoneOffset.UTC, 0, Instant.EPOCH))
                        .parse(xml)
                        .reason())
                .as("read as auto")
                .isEqualTo(WindowsEventParser.XML_REASON);
    }
}
