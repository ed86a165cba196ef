package io.scanwatch.enrich;

import io.scanwatch.net.Cidr;
import io.scanwatch.net.IpAddress;
import io.scanwatch.text.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The organisation's own hosts and networks: which asset an address belongs to (the most specific entry that holds
 * it), and which address a host name stands for. Inventories hold hundreds to a few thousand entries and are asked
 * only for an alert's targets and for logons that name their host, so a scan from the narrowest entry is enough.
 */
public final class AssetInventory {
    /** The CSV header: every inventory file starts with it, so that columns cannot be swapped unnoticed. */
    public static final List<String> COLUMNS = List.of("cidr", "hostname", "owner", "criticality", "tags");

    private static final AssetInventory EMPTY = new AssetInventory(List.of());

    private final List<Asset> assets;
    private final Cidr[] blocks;
    private final Map<String, String> addressByName = new HashMap<>();

    private AssetInventory(List<Asset> entries) {
        List<Cidr> parsed = new ArrayList<>();
        for (Asset asset : entries) {
            parsed.add(Cidr.parse(asset.cidr()));
        }
        // Narrowest first, and of equally narrow entries the later first: the first block that holds an address
        // is its most specific entry, and a later entry (inline after the file, a live change after both) for the
        // same block overrides an earlier one.
        Integer[] order = new Integer[entries.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(
                order,
                Comparator.comparingInt((Integer i) -> -parsed.get(i).specificity())
                        .thenComparing(Comparator.reverseOrder()));
        this.assets = new ArrayList<>();
        this.blocks = new Cidr[order.length];
        for (int i = 0; i < order.length; i++) {
            assets.add(entries.get(order[i]));
            blocks[i] = parsed.get(order[i]);
        }
        Map<String, String> byFullName = new HashMap<>();
        Map<String, String> byShortName = new HashMap<>();
        // Names of the entries in effect only: a host a later entry re-describes is named by that entry.
        Map<String, Integer> effective = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            effective.put(parsed.get(i).canonical(), i);
        }
        for (int i : new java.util.TreeSet<>(effective.values())) {
            Asset asset = entries.get(i);
            if (parsed.get(i).specificity() == 128 && !asset.hostname().isEmpty()) {
                String address = parsed.get(i).first().toString();
                String name = asset.hostname().toLowerCase(Locale.ROOT);
                byFullName.merge(name, address, AssetInventory::sameOrAmbiguous);
                byShortName.merge(shortName(name), address, AssetInventory::sameOrAmbiguous);
            }
        }
        byShortName.forEach(addressByName::put);
        // A full name says more than a short one that happens to match it.
        byFullName.forEach(addressByName::put);
        addressByName.values().removeIf(AMBIGUOUS::equals);
    }

    /** Two hosts of one name: a logon naming it cannot be placed. */
    private static final String AMBIGUOUS = "";

    private static String sameOrAmbiguous(String one, String other) {
        return one.equals(other) ? one : AMBIGUOUS;
    }

    private static String shortName(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public static AssetInventory empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException naming the entry whose address block is malformed */
    public static AssetInventory of(List<Asset> assets) {
        for (int i = 0; i < assets.size(); i++) {
            try {
                Cidr.parse(assets.get(i).cidr());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return assets.isEmpty() ? EMPTY : new AssetInventory(assets);
    }

    /**
     * Reads an inventory CSV: the header {@code cidr,hostname,owner,criticality,tags}, then one asset per line, tags
     * separated by {@code ;}. A malformed line fails the read with its number: half an inventory would under-rate
     * scans of the assets it lost.
     */
    public static List<Asset> readCsv(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(file + " is not a readable file");
        }
        List<Asset> assets = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header != null && header.startsWith("\uFEFF")) {
                header = header.substring(1); // a byte order mark, as spreadsheet exports write
            }
            if (header == null || !CsvFields.of(header.strip()).equals(COLUMNS)) {
                throw new IOException(file + " line 1: expected the header " + String.join(",", COLUMNS));
            }
            int lineNumber = 1;
            // Where each block was described: one file describing a block twice, differently, is ambiguous (the
            // later line would win, and a critical host read as low).
            Map<String, Integer> lineOf = new HashMap<>();
            Map<String, Asset> described = new HashMap<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                try {
                    Asset asset = parse(line);
                    String block = Cidr.parse(asset.cidr()).canonical();
                    Asset earlier = described.putIfAbsent(block, asset);
                    lineOf.putIfAbsent(block, lineNumber);
                    if (earlier != null && !earlier.equals(asset)) {
                        throw new IllegalArgumentException(block + " is described differently on line "
                                + lineOf.get(block) + ": keep one line a block");
                    }
                    assets.add(asset);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        }
        return assets;
    }

    private static Asset parse(String line) {
        List<String> fields = CsvFields.of(line);
        if (fields.size() != COLUMNS.size()) {
            throw new IllegalArgumentException(
                    "expected " + COLUMNS.size() + " fields (" + String.join(",", COLUMNS) + "), got " + fields.size());
        }
        Cidr.parse(fields.get(0));
        List<String> tags = Arrays.stream(fields.get(4).split(";"))
                .map(String::trim)
                .filter(tag -> !tag.isEmpty())
                .toList();
        return new Asset(fields.get(0).trim(), fields.get(1), fields.get(2), Criticality.of(fields.get(3)), tags);
    }

    /** The most specific entry holding the address, or null (also for text that is no address). */
    public Asset lookup(String address) {
        IpAddress ip = IpAddress.tryParse(address);
        if (ip == null) {
            return null;
        }
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i].contains(ip)) {
                return assets.get(i);
            }
        }
        return null;
    }

    /**
     * The address of the single-address asset of this name: by the full name, else by the short name either side
     * writes (sshd logs {@code bastion}, the inventory may hold {@code bastion.corp.example}; Windows writes
     * {@code DC01.corp.example}, the inventory may hold {@code dc01}). Null when no asset, or two, have the name.
     */
    public String addressOf(String hostname) {
        if (hostname == null) {
            return null;
        }
        String name = hostname.trim().toLowerCase(Locale.ROOT);
        String address = addressByName.get(name);
        return address != null ? address : addressByName.get(shortName(name));
    }

    public int size() {
        return assets.size();
    }
}
