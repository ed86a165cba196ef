package io.scanwatch.enrich;

import io.scanwatch.net.IpAddress;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configured database, asked in order: MaxMind-format files first, then AS range files; each fact comes from
 * the first that knows it.
 */
public final class AddressFacts implements Closeable {
    private final List<FactSource> sources;

    private AddressFacts(List<FactSource> sources) {
        this.sources = sources;
    }

    public static AddressFacts open(List<Path> mmdbFiles, List<Path> asnCsvFiles) throws IOException {
        List<FactSource> sources = new ArrayList<>();
        try {
            for (Path file : mmdbFiles) {
                sources.add(new MmdbFacts(file));
            }
            if (!asnCsvFiles.isEmpty()) {
                sources.add(AsnRanges.load(asnCsvFiles));
            }
        } catch (IOException | RuntimeException e) {
            for (FactSource source : sources) {
                source.close();
            }
            throw e;
        }
        return new AddressFacts(sources);
    }

    public NetworkFacts lookup(IpAddress address) {
        NetworkFacts facts = NetworkFacts.NONE;
        for (FactSource source : sources) {
            facts = facts.orElse(source.lookup(address));
        }
        return facts;
    }

    @Override
    public void close() throws IOException {
        for (FactSource source : sources) {
            source.close();
        }
    }
}
