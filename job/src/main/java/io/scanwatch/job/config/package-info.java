/**
 * The typed configuration: bundled defaults, a YAML file and overrides, bound to records and validated with the
 * key named in every message.
 */
package io.scanwatch.job.config;
