/** NetFlow/IPFIX as nfdump prints it, JSON and CSV. */
package io.scanwatch.parse.nfdump;
