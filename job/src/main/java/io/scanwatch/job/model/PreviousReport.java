package io.scanwatch.job.model;

/** What the alert before a roll-up reported of its episode: the roll-up's news is the difference. */
public class PreviousReport {
    public String alertId;
    public int hosts;
    public int ports;
    public int services;
    /** Of a correlated episode's logons; 0 otherwise. */
    public int users;

    public int logonTargets;
    /** Of a network's episode; 0 otherwise. */
    public int members;

    public PreviousReport() {}
}
