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

    public Direction direction(String sourceIp, String destinationIp) {
        return Direction.of(isInternal(sourceIp), isInternal(destinationIp));
    }

    public boolean isAuthorizedScanner(String sourceIp) {
        return !authorizedScanners.isEmpty() && authorizedScanners.contains(IpAddress.parse(sourceIp));
    }
}
