package io.scanwatch.job.model;

/**
 * What the configured databases know of an alert's source (or of its network's first address): ECS
 * {@code source.geo.*} and {@code source.as.*}. Any field may be null.
 */
public class SourceFacts {
    public String countryIsoCode;
    public String cityName;
    public Double latitude;
    public Double longitude;
    public Long asNumber;
    public String asOrganization;

    public SourceFacts() {}
}
