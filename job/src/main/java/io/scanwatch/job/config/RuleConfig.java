package io.scanwatch.job.config;

import java.io.Serializable;

/** One rule's configuration: the settings every rule has, and its own. */
public record RuleConfig<S>(RuleSettings common, S own) implements Serializable {}
