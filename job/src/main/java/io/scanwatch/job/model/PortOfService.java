package io.scanwatch.job.model;

/** The port part of a service key ({@link HostOfService} describes the forms); null when it has none. */
final class PortOfService {
    private PortOfService() {}

    static String of(String service) {
        if (service.indexOf('/') >= 0) {
            return null;
        }
        return service.substring(service.lastIndexOf(':') + 1);
    }
}
