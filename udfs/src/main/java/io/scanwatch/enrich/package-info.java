/**
 * Facts about an address from databases the user points at: country, city and location from MaxMind-format
 * ({@code .mmdb}) files, autonomous system from those or from CSV range files; and what the organisation says of
 * its own hosts ({@link io.scanwatch.enrich.AssetInventory}). No network lookups, ever.
 */
package io.scanwatch.enrich;
