package io.scanwatch.job.model;

import java.util.ArrayList;
import java.util.List;

/** The logon attempts a correlated alert reports. */
public class LogonEvidence {
    /** Failed guesses, summed over the attempts each record stands for. */
    public long failures;

    public long successes;
    /** Accounts tried, at most the configured number, hashed when configured. */
    public List<String> users = new ArrayList<>();

    public List<String> targets = new ArrayList<>();
    public List<String> services = new ArrayList<>();
    public long firstLogon;
    public long lastLogon;
    /** From the scan's last probe to the first logon; negative when the logons began while the scan ran. */
    public long delayMillis;
    /** True when every logon aimed at a host the scan probed; false when only at internal hosts. */
    public boolean atProbedTargets;

    public LogonEvidence() {}
}
