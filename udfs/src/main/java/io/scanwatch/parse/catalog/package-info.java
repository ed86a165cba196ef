/** The catalog of formats by id, and auto-detection of a stream's format from its first telling line. */
package io.scanwatch.parse.catalog;
