/**
 * The parser contract (one verdict per line), the guard that turns any parser failure into a rejected record, and
 * field checks shared by the formats.
 */
package io.scanwatch.parse;
