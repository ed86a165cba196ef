package io.scanwatch.job.model;

import java.util.ArrayList;
import java.util.List;

/** What the inventory knows of one probed host. */
public class TargetAsset {
    public String ip;
    public String hostname;
    public String owner;
    /** {@code low} … {@code critical}. */
    public String criticality;

    public List<String> tags = new ArrayList<>();

    public TargetAsset() {}
}
