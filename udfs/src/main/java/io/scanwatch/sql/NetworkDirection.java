package io.scanwatch.sql;

import io.scanwatch.event.Direction;

/**
 * {@code network_direction(source_ip, destination_ip, 'cidr,...')}: the ECS {@code network.direction} of a
 * connection — inbound, outbound, internal or external — as the job labels it; null when an address is not one.
 */
public class NetworkDirection extends RangeFunction {
    private static final long serialVersionUID = 1L;

    public String eval(String sourceIp, String destinationIp, String internalCidrs) {
        Boolean source = inside(sourceIp, internalCidrs);
        Boolean destination = inside(destinationIp, internalCidrs);
        if (source == null || destination == null) {
            return null;
        }
        return Direction.of(source, destination).ecs();
    }
}
