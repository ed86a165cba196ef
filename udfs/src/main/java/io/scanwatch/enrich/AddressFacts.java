package io.scanwatch.enrich;

import io.scanwatch.net.IpAddress;
import io.scanwatch.net.SpecialPurposeBlocks;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configured database, asked in order: MaxMind-format files first, then AS range files; each fact comes from
 * the first that knows it ({@link NetworkFacts#combined}), and none of a special-purpose address. Databases are
 * updated in place by their publishers' tools (geoipupdate replaces a file by renaming a new one over it):
 * {@link #reloadIfChanged} opens them again when a file's size or time has changed.
 */
public final class AddressFacts implements Closeable {
    private final List<Path> mmdbFiles;
    private final List<Path> asnCsvFiles;
    private volatile List<FactSource> sources;
    private List<String> stamps;

    private AddressFacts(List<Path> mmdbFiles, List<Path> asnCsvFiles) throws IOException {
        this.mmdbFiles = List.copyOf(mmdbFiles);
        this.asnCsvFiles = List.copyOf(asnCsvFiles);
        this.stamps = stamps();
        this.sources = openSources();
    }

    public static AddressFacts open(List<Path> mmdbFiles, List<Path> asnCsvFiles) throws IOException {
        return new AddressFacts(mmdbFiles, asnCsvFiles);
    }

    private List<FactSource> openSources() throws IOException {
        List<FactSource> opened = new ArrayList<>();
        try {
            for (Path file : mmdbFiles) {
                opened.add(new MmdbFacts(file));
            }
            if (!asnCsvFiles.isEmpty()) {
                opened.add(AsnRanges.load(asnCsvFiles));
            }
        } catch (IOException | RuntimeException e) {
            close(opened);
            throw e;
        }
        return opened;
    }

    /** Size and modification time of every file: what changes when a database is replaced. */
    private List<String> stamps() throws IOException {
        List<String> stamps = new ArrayList<>();
        for (List<Path> files : List.of(mmdbFiles, asnCsvFiles)) {
            for (Path file : files) {
                stamps.add(
                        Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis());
            }
        }
        return stamps;
    }

    /**
     * Opens the databases again if a file has changed since they were opened; lookups meanwhile use the old ones.
     * The old ones are not closed but left to the garbage collector: another thread may be reading them, and a
     * file replaced by renaming stays mapped as it was.
     *
     * @return whether they were opened again
     * @throws IOException when a changed file cannot be read; the databases in use stay
     */
    public synchronized boolean reloadIfChanged() throws IOException {
        List<String> now = stamps();
        if (now.equals(stamps)) {
            return false;
        }
        sources = openSources();
        stamps = now;
        return true;
    }

    /** What the databases know of the address; nothing of a special-purpose one ({@link SpecialPurposeBlocks}). */
    public NetworkFacts lookup(IpAddress address) {
        if (SpecialPurposeBlocks.contains(address)) {
            return NetworkFacts.NONE;
        }
        List<NetworkFacts> known = new ArrayList<>(sources.size());
        for (FactSource source : sources) {
            known.add(source.lookup(address));
        }
        return NetworkFacts.combined(known);
    }

    @Override
    public void close() throws IOException {
        close(sources);
    }

    private static void close(List<FactSource> sources) throws IOException {
        for (FactSource source : sources) {
            source.close();
        }
    }
}
