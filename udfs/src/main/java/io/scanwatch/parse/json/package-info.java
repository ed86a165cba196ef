/** A small flat reader of one-line JSON objects, for the JSON formats. */
package io.scanwatch.parse.json;
