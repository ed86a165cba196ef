/**
 * Connection records written more than once, read as one connection: one-way flows (NetFlow v5/v9, uniflow IPFIX)
 * paired with their answer, and Windows' views of one connection from each host and logger merged.
 */
package io.scanwatch.flow;
