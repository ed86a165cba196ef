package io.scanwatch.job.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The test data of the sensors other than Zeek conn.log: each file holds ordinary records, one scan or a run of
 * logons, records the format deliberately skips, and one broken record. Built from arithmetic, not randomness.
 */
final class OtherSensors {
    private static final long START = TestdataGenerator.START.getEpochSecond();
    private static final String[] MONTH_DAY = {"Mar  2"};
    private static final int[] SERVICE_PORTS = {
        21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 3306, 3389, 5432, 5900, 6379, 8080,
        8443, 9200
    };

    private OtherSensors() {}

    /** Lines kept with their event time, so a file can be written in time order as sensors write it. */
    private static final class Timed {
        private final List<double[]> order = new ArrayList<>();
        private final List<String> lines = new ArrayList<>();

        void add(double at, String line) {
            order.add(new double[] {at, lines.size()});
            lines.add(line);
        }

        List<String> sorted() {
            order.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
            List<String> out = new ArrayList<>();
            for (double[] o : order) {
                out.add(lines.get((int) o[1]));
            }
            return out;
        }
    }

    static String content(String file) {
        List<String> lines;
        switch (file) {
            case "zeek/honeypot-ssh.json.log":
                lines = zeekSsh();
                break;
            case "suricata/dmz-eve.json":
                lines = suricata();
                break;
            case "nfdump/core-flows.csv":
                lines = nfdumpCsv();
                break;
            case "nfdump/lab-flows.json":
                lines = nfdumpJson();
                break;
            case "netfilter/fw-kern.log":
                lines = netfilter();
                break;
            case "vpcflow/vpc-flows.log":
                lines = vpcflow();
                break;
            case "windows/workstation-events.jsonl":
                lines = windows();
                break;
            case "sshd/bastion-auth.log":
                lines = sshd();
                break;
            default:
                throw new IllegalArgumentException("no generator for " + file);
        }
        return String.join("\n", lines) + "\n";
    }

    private static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** The DMZ host 10.20.6.6's sensor: browsing, DNS and alerts, and a refused port scan from 192.0.2.77. */
    private static List<String> suricata() {
        Timed timed = new Timed();
        for (int i = 0; i < 40; i++) {
            timed.add(
                    i * 40,
                    eveFlow(
                            i * 40,
                            "10.20.1." + (10 + i % 6),
                            40000 + i,
                            "203.0.113." + (1 + i % 20),
                            443,
                            "1b",
                            "1b",
                            8,
                            9));
            if (i % 2 == 0) {
                timed.add(
                        i * 40 + 1,
                        j(
                                "{'timestamp':'" + offsetTime(i * 40 + 1) + "','event_type':'dns',"
                                        + "'src_ip':'10.20.1.10','dest_ip':'10.20.0.53','proto':'UDP','dns':{'type':'query','rrname':'example.com'}}"));
            }
        }
        for (int p = 0; p < SERVICE_PORTS.length; p++) {
            timed.add(
                    360 + p * 2,
                    eveFlow(360 + p * 2, "192.0.2.77", 51000 + p, "10.20.6.6", SERVICE_PORTS[p], "02", "14", 1, 1));
        }
        timed.add(
                361,
                j(
                        "{'timestamp':'" + offsetTime(361)
                                + "','event_type':'alert','src_ip':'192.0.2.77','src_port':51000,"
                                + "'dest_ip':'10.20.6.6','dest_port':1433,'proto':'TCP','alert':{'signature':'ET SCAN Suspicious inbound to MSSQL port 1433'}}"));
        List<String> lines = timed.sorted();
        lines.add(30, eveFlow(600, "192.0.2.77", 51999, "10.20.6.999", 80, "02", "14", 1, 1));
        return lines;
    }

    private static String eveFlow(
            double at, String src, int sport, String dst, int dport, String ts, String tc, int toServer, int toClient) {
        return j("{'timestamp':'" + offsetTime(at + 30) + "','flow_id':" + (long) (at * 1000 + sport)
                + ",'event_type':'flow',"
                + "'src_ip':'" + src + "','src_port':" + sport + ",'dest_ip':'" + dst + "','dest_port':" + dport
                + ",'proto':'TCP','flow':{'pkts_toserver':" + toServer + ",'pkts_toclient':" + toClient
                + ",'bytes_toserver':" + toServer * 60 + ",'bytes_toclient':" + toClient * 60 + ",'start':'"
                + offsetTime(at) + "','end':'" + offsetTime(at + 0.5) + "','age':0,'state':'closed','reason':'timeout',"
                + "'alerted':false},'tcp':{'tcp_flags':'" + ts + "','tcp_flags_ts':'" + ts + "','tcp_flags_tc':'" + tc
                + "'}}");
    }

    private static final java.time.format.DateTimeFormatter DATE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    /** Suricata writes local time with a compact offset; this sensor runs on +01:00. */
    private static String offsetTime(double secondsAfterStart) {
        long micros = Math.round((START + secondsAfterStart + 3600) * 1_000_000);
        return String.format(
                Locale.ROOT,
                "%s.%06d+0100",
                DATE_TIME.format(
                        java.time.LocalDateTime.ofEpochSecond(micros / 1_000_000, 0, java.time.ZoneOffset.UTC)),
                micros % 1_000_000);
    }

    /** UTC date-time with milliseconds and no zone, date and time joined by {@code separator}. */
    private static String local(double secondsAfterStart, String separator) {
        long millis = Math.round((START + secondsAfterStart) * 1000);
        String text =
                DATE_TIME.format(java.time.LocalDateTime.ofEpochSecond(millis / 1000, 0, java.time.ZoneOffset.UTC));
        return text.replace("T", separator) + String.format(Locale.ROOT, ".%03d", millis % 1000);
    }

    /** A core router's NetFlow, one direction per record: an internal host sweeping SMB, each SYN refused. */
    private static List<String> nfdumpCsv() {
        List<String> lines = new ArrayList<>();
        lines.add(
                "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,"
                        + "dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr");
        Timed timed = new Timed();
        for (int i = 0; i < 30; i++) {
            timed.add(
                    i * 50,
                    csvFlow(
                            i * 50,
                            "10.20.1." + (10 + i % 6),
                            41000 + i,
                            "203.0.113." + (1 + i % 20),
                            443,
                            "...AP.SF",
                            9,
                            4200));
        }
        for (int h = 1; h <= 25; h++) {
            int at = 700 + h * 2;
            timed.add(at, csvFlow(at, "10.20.4.9", 50000 + h, "10.20.8." + h, 445, "......S.", 1, 60));
            timed.add(at + 0.001, csvFlow(at + 0.001, "10.20.8." + h, 445, "10.20.4.9", 50000 + h, "...A.R..", 1, 40));
        }
        lines.addAll(timed.sorted());
        lines.add(12, csvFlow(600, "not-an-ip", 1, "10.20.8.1", 445, "......S.", 1, 60));
        lines.add("");
        lines.add("Summary");
        lines.add("flows,bytes,packets,avg_bps,avg_pps,avg_bpp");
        lines.add("81,131800,301,585,0,437");
        return lines;
    }

    private static String csvFlow(
            double at, String src, int sport, String dst, int dport, String flags, int packets, int bytes) {
        String t = local(at, " ").substring(0, 19);
        return String.join(
                ",",
                t,
                t,
                "0.000",
                src,
                dst,
                String.valueOf(sport),
                String.valueOf(dport),
                "TCP",
                flags,
                "0",
                "0",
                String.valueOf(packets),
                String.valueOf(bytes),
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0.0.0.0",
                "0.0.0.0",
                "0",
                "0",
                "00:00:00:00:00:00",
                "00:00:00:00:00:00",
                "00:00:00:00:00:00",
                "00:00:00:00:00:00",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "0-0-0",
                "    0.000",
                "    0.000",
                "    0.000",
                "10.20.0.1",
                "0/0",
                "1",
                "1970-01-01 00:00:00.000");
    }

    /** A lab router's flows as {@code nfdump -o json} prints them: an Internet host sweeping VNC. */
    private static List<String> nfdumpJson() {
        List<String> lines = new ArrayList<>();
        lines.add("[");
        List<String[]> flows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            flows.add(new String[] {
                local(i * 90, "T"),
                "10.20.12." + (200 + i % 3),
                String.valueOf(42000 + i),
                "203.0.113." + (30 + i),
                "443",
                "...AP.SF",
                "11",
                "5400"
            });
        }
        for (int h = 1; h <= 22; h++) {
            flows.add(new String[] {
                local(1100 + h, "T"),
                "198.51.100.99",
                String.valueOf(60000 + h),
                "10.20.12." + h,
                "5900",
                "......S.",
                "1",
                "60"
            });
            flows.add(new String[] {
                local(1100 + h + 0.001, "T"),
                "10.20.12." + h,
                "5900",
                "198.51.100.99",
                String.valueOf(60000 + h),
                "...A.R..",
                "1",
                "40"
            });
        }
        flows.add(5, new String[] {local(500, "T"), "10.20.12.7", "1", "10.20.12.8", "70000", "......S.", "1", "60"});
        for (int i = 0; i < flows.size(); i++) {
            String[] f = flows.get(i);
            lines.add("{");
            lines.add("\t\"type\" : \"FLOW\",");
            lines.add("\t\"sampled\" : 0,");
            lines.add("\t\"export_sysid\" : 1,");
            lines.add("\t\"first\" : \"" + f[0] + "\",");
            lines.add("\t\"last\" : \"" + f[0] + "\",");
            lines.add("\t\"received\" : \"1970-01-01T00:00:00.000\",");
            lines.add("\t\"in_packets\" : " + f[6] + ",");
            lines.add("\t\"in_bytes\" : " + f[7] + ",");
            lines.add("\t\"proto\" : 6,");
            lines.add("\t\"tcp_flags\" : \"" + f[5] + "\",");
            lines.add("\t\"src_port\" : " + f[2] + ",");
            lines.add("\t\"dst_port\" : " + f[4] + ",");
            lines.add("\t\"src_tos\" : 0,");
            lines.add("\t\"src4_addr\" : \"" + f[1] + "\",");
            lines.add("\t\"dst4_addr\" : \"" + f[3] + "\",");
            lines.add("\t\"label\" : \"<none>\"");
            lines.add(i == flows.size() - 1 ? "}" : "},");
        }
        lines.add("]");
        return lines;
    }

    /** The perimeter firewall's kernel log: a telnet sweep dropped, ordinary traffic accepted. */
    private static List<String> netfilter() {
        Timed timed = new Timed();
        for (int i = 0; i < 20; i++) {
            timed.add(
                    i * 80,
                    syslog(i * 80, "fw01", "kernel") + "[8612345." + (100 + i) + "] ACCEPT-OUT IN=eth1 OUT=eth0 "
                            + "SRC=10.20.1." + (10 + i % 6) + " DST=203.0.113." + (1 + i)
                            + " LEN=60 TOS=0x00 PREC=0x00 TTL=63 "
                            + "ID=" + (1000 + i) + " DF PROTO=TCP SPT=" + (43000 + i)
                            + " DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0");
            if (i % 5 == 0) {
                timed.add(
                        i * 80 + 1,
                        syslog(i * 80 + 1, "fw01", "kernel")
                                + "[8612346.000] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex");
            }
        }
        for (int h = 1; h <= 30; h++) {
            timed.add(
                    780 + h,
                    syslog(780 + h, "fw01", "kernel") + "[8613000." + h + "] DROP-IN IN=eth0 OUT= "
                            + "MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.200 DST=10.20.13." + h
                            + " LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=" + (40000 + h)
                            + " PROTO=TCP SPT=44444 DPT=23 WINDOW=1024 "
                            + "RES=0x00 SYN URGP=0");
        }
        List<String> lines = timed.sorted();
        lines.add(
                25,
                syslog(790, "fw01", "kernel") + "[8613000.9] DROP-IN IN=eth0 OUT= SRC=203.0.113.999 DST=10.20.13.1 "
                        + "LEN=44 PROTO=TCP SPT=44444 DPT=23 SYN");
        return lines;
    }

    /** A cloud VPC's flow log: a security group refusing an Internet host's port scan of one instance. */
    private static List<String> vpcflow() {
        Timed timed = new Timed();
        for (int i = 0; i < 15; i++) {
            long start = START + i * 100;
            timed.add(
                    i * 100,
                    "2 123456789010 eni-0a1b2c3d4e5f60718 172.31.9.12 203.0.113." + (50 + i) + " " + (45000 + i)
                            + " 443 6 14 6800 " + start + " " + (start + 60) + " ACCEPT OK");
        }
        for (int p = 0; p < 18; p++) {
            long start = START + 1320 + p;
            timed.add(
                    1320 + p,
                    "2 123456789010 eni-0a1b2c3d4e5f60718 198.51.100.150 172.31.9.12 " + (61000 + p) + " "
                            + SERVICE_PORTS[p] + " 6 1 40 " + start + " " + (start + 60) + " REJECT OK");
        }
        List<String> lines = new ArrayList<>();
        lines.add(
                "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status");
        lines.addAll(timed.sorted());
        lines.add(
                9,
                "2 123456789010 eni-0a1b2c3d4e5f60718 - - - - - - - " + (START + 900) + " " + (START + 960)
                        + " - NODATA");
        lines.add(
                20,
                "2 123456789010 eni-0a1b2c3d4e5f60718 198.51.100.150 172.31.9.12 61100 22 6 1 40 " + (START + 1321)
                        + " " + (START + 1381) + " MAYBE OK");
        return lines;
    }

    /** A workstation's Sysmon and its domain controller's Security log, as NXLog and Winlogbeat ship them. */
    private static List<String> windows() {
        List<String> lines = new ArrayList<>();
        for (int h = 1; h <= 25; h++) {
            lines.add(j("{'@timestamp':'" + iso(1380 + h + 2)
                    + "','EventID':3,'Channel':'Microsoft-Windows-Sysmon/Operational',"
                    + "'Hostname':'WS11.corp.example','UtcTime':'" + local(1380 + h, " ")
                    + "','Protocol':'tcp','Initiated':'true',"
                    + "'SourceIp':'10.20.11.5','SourcePort':'" + (52000 + h) + "','DestinationIp':'10.20.8." + (100 + h)
                    + "','DestinationPort':'445','Image':'C:\\\\Users\\\\Public\\\\svc.exe'}"));
        }
        String[] users = {"administrator", "admin", "backup", "svc_backup"};
        for (int i = 0; i < users.length; i++) {
            lines.add(j("{'@timestamp':'" + iso(1440 + i * 5)
                    + "','event':{'code':'4625'},'winlog':{'channel':'Security',"
                    + "'event_id':'4625','computer_name':'DC01.corp.example','event_data':{'TargetUserName':'"
                    + users[i]
                    + "','IpAddress':'10.20.11.5','IpPort':'" + (53000 + i) + "','LogonType':'3','Status':'0xc000006d',"
                    + "'SubStatus':'0xc000006a'}}}"));
        }
        lines.add(j(
                "{'@timestamp':'" + iso(1470) + "','EventID':4624,'Channel':'Security','Hostname':'DC01.corp.example',"
                        + "'TargetUserName':'svc_backup','IpAddress':'10.20.11.5','IpPort':'53010','LogonType':'3'}"));
        lines.add(j(
                "{'@timestamp':'" + iso(1470) + "','EventID':4672,'Channel':'Security','Hostname':'DC01.corp.example',"
                        + "'SubjectUserName':'svc_backup'}"));
        lines.add(j(
                "{'@timestamp':'" + iso(1471) + "','EventID':4776,'Channel':'Security','Hostname':'DC01.corp.example',"
                        + "'TargetUserName':'svc_backup','Workstation':'WS11'}"));
        lines.add(
                j("{'@timestamp':'" + iso(200) + "','EventID':4624,'Channel':'Security','Hostname':'WS11.corp.example',"
                        + "'TargetUserName':'jdoe','IpAddress':'-','LogonType':'2'}"));
        lines.add(j(
                "{'@timestamp':'" + iso(1475) + "','EventID':4624,'Channel':'Security','Hostname':'DC01.corp.example',"
                        + "'TargetUserName':'svc_backup','IpAddress':'10.20.11.500','LogonType':'3'}"));
        return lines;
    }

    private static String iso(double secondsAfterStart) {
        return local(secondsAfterStart, "T") + "Z";
    }

    /** The bastion's sshd log: the Internet host that swept SSH guesses passwords, then gets in. */
    private static List<String> sshd() {
        List<String> lines = new ArrayList<>();
        lines.add(syslog(100, "bastion", "sshd[4100]")
                + "Accepted publickey for deploy from 10.20.1.10 port 50122 ssh2: ED25519 SHA256:Zm9vYmFy");
        lines.add(syslog(160, "bastion", "CRON[4120]")
                + "pam_unix(cron:session): session opened for user root by (uid=0)");
        String[] users = {"root", "admin", "ubuntu", "root", "oracle", "ubuntu"};
        for (int i = 0; i < users.length; i++) {
            int at = 1080 + i * 7;
            String pid = "sshd[" + (4200 + i) + "]";
            if (users[i].equals("oracle")) {
                lines.add(syslog(at, "bastion", pid) + "Invalid user oracle from 198.51.100.200 port " + (38000 + i));
                lines.add(syslog(at + 2, "bastion", pid)
                        + "Failed password for invalid user oracle from 198.51.100.200 port " + (38000 + i) + " ssh2");
            } else {
                lines.add(syslog(at, "bastion", pid)
                        + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
                        + "tty=ssh ruser= rhost=198.51.100.200  user=" + users[i]);
                lines.add(syslog(at + 2, "bastion", pid) + "Failed password for " + users[i]
                        + " from 198.51.100.200 port " + (38000 + i) + " ssh2");
            }
            lines.add(syslog(at + 3, "bastion", pid) + "Connection closed by authenticating user " + users[i]
                    + " 198.51.100.200 port " + (38000 + i) + " [preauth]");
        }
        lines.add(syslog(1140, "bastion", "sshd[4300]")
                + "Accepted password for ubuntu from 198.51.100.200 port 38100 ssh2");
        lines.add(syslog(1141, "bastion", "sshd[4300]")
                + "pam_unix(sshd:session): session opened for user ubuntu(uid=1000) by (uid=0)");
        lines.add("Mar 32 09:20:00 bastion sshd[4301]: Failed password for root from 198.51.100.200 port 38101 ssh2");
        return lines;
    }

    /** A traditional syslog header: {@code Mar  2 09:12:00 host tag: }. */
    private static String syslog(double secondsAfterStart, String host, String tag) {
        String time = local(secondsAfterStart, " ").substring(11, 19);
        return MONTH_DAY[0] + " " + time + " " + host + " " + tag + ": ";
    }

    /** The honeypot's Zeek ssh.log: the host that connect-scanned the DMZ tries passwords, then logs in. */
    private static List<String> zeekSsh() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(zeekSshLine(200 + i * 100, "198.51.100." + (60 + i), null, 0, "SSH-2.0-Go"));
        }
        for (int i = 0; i < 3; i++) {
            lines.add(zeekSshLine(480 + i * 20, "203.0.113.50", false, 3, "SSH-2.0-libssh-0.6.3"));
        }
        lines.add(zeekSshLine(560, "203.0.113.50", true, 1, "SSH-2.0-libssh-0.6.3"));
        lines.add(
                4,
                zeekSshLine(430, "203.0.113.50", true, 1, "SSH-2.0-libssh-0.6.3")
                        .replace("\"auth_success\":true", "\"auth_success\":\"yes\""));
        return lines;
    }

    private static String zeekSshLine(double at, String source, Boolean success, int attempts, String client) {
        return String.format(
                Locale.ROOT,
                "{\"ts\":%.6f,\"uid\":\"CS%d\",\"id.orig_h\":\"%s\",\"id.orig_p\":%d,"
                        + "\"id.resp_h\":\"10.20.5.15\",\"id.resp_p\":22,\"version\":2,%s\"auth_attempts\":%d,\"direction\":\"INBOUND\","
                        + "\"client\":\"%s\",\"server\":\"SSH-2.0-OpenSSH_9.2p1 Debian-2\"}",
                START + at,
                (long) at,
                source,
                40000 + (int) at,
                success == null ? "" : "\"auth_success\":" + success + ",",
                attempts,
                client);
    }
}
