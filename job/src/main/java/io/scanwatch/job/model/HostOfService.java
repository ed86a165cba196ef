package io.scanwatch.job.model;

/**
 * The host part of a service key as {@link io.scanwatch.event.ConnectionEvent#destinationService()} writes it:
 * {@code 10.0.0.1:22}, {@code [2001:db8::1]:22}, or {@code 10.0.0.1/icmp} for transports without ports.
 */
public final class HostOfService {
    private HostOfService() {}

    public static String of(String service) {
        if (service.startsWith("[")) {
            return service.substring(1, service.indexOf(']'));
        }
        int cut = service.lastIndexOf(service.indexOf('/') >= 0 ? '/' : ':');
        return cut < 0 ? service : service.substring(0, cut);
    }
}
