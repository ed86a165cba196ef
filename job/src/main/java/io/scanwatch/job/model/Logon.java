package io.scanwatch.job.model;

/** One successful logon of a correlated alert: the account that got in, where, and when. */
public class Logon {
    /** As the sensor logged it (hashed when configured); null when it logs no accounts. */
    public String user;

    public String target;
    public long at;

    public Logon() {}

    public static Logon of(String user, String target, long at) {
        Logon logon = new Logon();
        logon.user = user;
        logon.target = target;
        logon.at = at;
        return logon;
    }
}
