package io.scanwatch.parse.catalog;

import io.scanwatch.parse.GuardedParser;
import io.scanwatch.parse.LineParser;
import io.scanwatch.parse.ParseOptions;
import io.scanwatch.parse.netfilter.NetfilterLogParser;
import io.scanwatch.parse.nfdump.NfdumpCsvParser;
import io.scanwatch.parse.nfdump.NfdumpJsonParser;
import io.scanwatch.parse.sshd.SshdLogParser;
import io.scanwatch.parse.suricata.SuricataEveParser;
import io.scanwatch.parse.vpcflow.VpcFlowLogParser;
import io.scanwatch.parse.windows.WindowsEventParser;
import io.scanwatch.parse.zeek.ZeekConnParser;
import io.scanwatch.parse.zeek.ZeekSshParser;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The telemetry formats scanwatch reads, by the names used on the command line and in Kafka topic settings. */
public enum TelemetryFormat {
    /** Zeek conn.log, JSON lines or TSV with its {@code #fields} header. */
    ZEEK_CONN("zeek-conn", options -> new ZeekConnParser()),
    /** Zeek ssh.log, JSON lines or TSV. */
    ZEEK_SSH("zeek-ssh", options -> new ZeekSshParser()),
    /** OpenSSH's syslog lines (auth.log, secure), traditional or RFC 3339 timestamps. */
    SSHD("sshd", SshdLogParser::new),
    /** Sysmon and Windows Security events as JSON, flat (NXLog) or Winlogbeat-shaped. */
    WINDOWS_JSON("windows-json", WindowsEventParser::new),
    /** Suricata eve.json flow events. */
    SURICATA_EVE("suricata-eve", options -> new SuricataEveParser()),
    /** NetFlow/IPFIX as {@code nfdump -o json} prints it (1.7), or one object a line ({@code -o ndjson}, 1.7.5). */
    NFDUMP_JSON("nfdump-json", NfdumpJsonParser::new),
    /** NetFlow/IPFIX as {@code nfdump -o csv} prints it (1.7), with the TCP flags. */
    NFDUMP_CSV("nfdump-csv", NfdumpCsvParser::new),
    /** Linux netfilter/iptables LOG lines in syslog. */
    NETFILTER("netfilter", NetfilterLogParser::new),
    /** sshd's and netfilter's lines in one syslog stream, each read as its kind; other programs' lines skipped. */
    SYSLOG("syslog", SyslogParser::lines),
    /** sshd's and netfilter's lines as systemd's journal keeps them, {@code journalctl -o json}; read as syslog. */
    JOURNALD_JSON("journald-json", SyslogParser::journal),
    /** AWS VPC flow logs: the default version-2 format, or a custom one named by its header line. */
    VPCFLOW("vpcflow", options -> new VpcFlowLogParser()),
    /** Any of the above, recognised from the stream's first telling line. */
    AUTO("auto", AutoDetectParser::new);

    private final String id;
    private final Function<ParseOptions, LineParser> parsers;

    TelemetryFormat(String id, Function<ParseOptions, LineParser> parsers) {
        this.id = id;
        this.parsers = parsers;
    }

    /**
     * Whether one connection may come as several of its records, which a job must join before judging them: one-way
     * flows ({@link io.scanwatch.event.ConnectionEvent#oneWay}; NetFlow v5/v9 and uniflow IPFIX, as nfdump prints
     * them) and Windows events (each host and logger writes the connections it allows).
     */
    public boolean repeatsConnections() {
        return this == NFDUMP_CSV || this == NFDUMP_JSON || this == WINDOWS_JSON || this == AUTO;
    }

    /**
     * Whether some of its times may come without a zone, to be read in the one a job is given: traditional syslog
     * lines (sshd's, netfilter's), nfdump's printed times and NXLog's plain {@code EventTime}. The others write Unix
     * time or an offset.
     */
    public boolean readsLocalTimes() {
        return switch (this) {
            case SSHD, NETFILTER, SYSLOG, WINDOWS_JSON, NFDUMP_JSON, NFDUMP_CSV, AUTO -> true;
            case ZEEK_CONN, ZEEK_SSH, SURICATA_EVE, VPCFLOW, JOURNALD_JSON -> false;
        };
    }

    /** Whether it holds logons only, no connection: OpenSSH's lines and Zeek's ssh.log. */
    public boolean logonsOnly() {
        return this == SSHD || this == ZEEK_SSH;
    }

    /**
     * Whether it finds the format of each stream or line it reads ({@link LineParser#recognisedFormat}), which
     * counts them: under its own name stays only what came before any was found.
     */
    public boolean findsFormats() {
        return this == AUTO || this == SYSLOG || this == JOURNALD_JSON;
    }

    public String id() {
        return id;
    }

    /**
     * What else to check when a file read as this format gave no record, beyond its being another format: a sensor
     * set up to write other records than those read. Null when nothing is known to say.
     */
    public String whenNothingParsed() {
        return this == SURICATA_EVE
                ? "suricata-eve reads eve.json's flow events: is flow among the types of eve-log in suricata.yaml?"
                        + " (netflow events, one per direction, are not read)"
                : null;
    }

    /** A fresh parser for one stream of this format, guarded: whatever a record holds, it never throws. */
    public LineParser newParser(ParseOptions options) {
        return GuardedParser.of(parsers.apply(options));
    }

    public static TelemetryFormat byId(String id) {
        for (TelemetryFormat format : values()) {
            if (format.id.equals(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown telemetry format '" + id + "'; known formats: "
                + Arrays.stream(values()).map(TelemetryFormat::id).collect(Collectors.joining(", ")));
    }
}
