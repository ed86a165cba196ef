package io.scanwatch.enrich;

import io.scanwatch.net.IpAddress;
import java.io.Closeable;

/** One database of facts about addresses. */
public interface FactSource extends Closeable {
    /** @return what the database knows of the address, {@link NetworkFacts#NONE} when nothing */
    NetworkFacts lookup(IpAddress address);
}
