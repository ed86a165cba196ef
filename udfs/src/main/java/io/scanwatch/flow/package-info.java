/** One-way flow records (NetFlow v5/v9, uniflow IPFIX) read as conversations: pairing a request with its answer. */
package io.scanwatch.flow;
