/**
 * The parsers and the network classification as Flink SQL functions, for SQL users who want scanwatch's
 * normalisation without its job: {@code parse_telemetry} (a table function), {@code is_internal},
 * {@code network_direction} and {@code is_probe}. The only package of udfs that knows Flink's table function API (the
 * sketches, the connection event and {@code io.scanwatch.serial} know its type system, for their serializers).
 */
package io.scanwatch.sql;
