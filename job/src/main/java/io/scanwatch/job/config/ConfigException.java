package io.scanwatch.job.config;

/** The configuration cannot work; the message says which key and what to change. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
