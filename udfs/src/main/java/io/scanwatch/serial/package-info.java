/**
 * Serializers of the project's own layouts for the types Flink writes most (on the wire, through a replay's sorts,
 * in RocksDB at every access): what such a serializer shares, field encodings that take few bytes and no reflection,
 * and the snapshot that takes over state a POJO serializer wrote.
 */
package io.scanwatch.serial;
