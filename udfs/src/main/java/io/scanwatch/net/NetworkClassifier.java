package io.scanwatch.net;

import io.scanwatch.event.Direction;
import java.io.Serializable;

/** Tells internal from external addresses and recognises the organisation's authorised scanners. */
public final class NetworkClassifier implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CidrSet internal;
    private final CidrSet authorizedScanners;

    public NetworkClassifier(CidrSet internal, CidrSet authorizedScanners) {
        this.internal = internal;
        this.authorizedScanners = authorizedScanners;
    }

    public boolean isInternal(String ip) {
        return internal.contains(IpAddress.parse(ip));
    }

    /** Takes parsed addresses: routing asks this and {@link #isAuthorizedScanner} of every event. */
    public Direction direction(IpAddress source, IpAddress destination) {
        return Direction.of(internal.contains(source), internal.contains(destination));
    }

    public boolean isAuthorizedScanner(IpAddress source) {
        return !authorizedScanners.isEmpty() && authorizedScanners.contains(source);
    }
}
