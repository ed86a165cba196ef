/**
 * The normalised events every parser produces: connections and authentications, with outcome, transport and
 * direction.
 */
package io.scanwatch.event;
