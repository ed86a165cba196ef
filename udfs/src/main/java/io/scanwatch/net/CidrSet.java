package io.scanwatch.net;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A configured list of address blocks. Deployments list a handful of ranges, so a linear scan beats any trie
 * here; the list is kept as text so the set serialises with the job graph and re-parses on each task.
 */
public final class CidrSet implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> texts;
    private transient List<Cidr> blocks;

    private CidrSet(List<String> texts) {
        this.texts = texts;
        this.blocks = parseAll(texts);
    }

    public static CidrSet of(List<String> texts) {
        return new CidrSet(Collections.unmodifiableList(new ArrayList<>(texts)));
    }

    public boolean contains(IpAddress ip) {
        if (blocks == null) {
            blocks = parseAll(texts);
        }
        for (Cidr block : blocks) {
            if (block.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return texts.isEmpty();
    }

    private static List<Cidr> parseAll(List<String> texts) {
        List<Cidr> parsed = new ArrayList<>(texts.size());
        for (String text : texts) {
            parsed.add(Cidr.parse(text));
        }
        return parsed;
    }

    @Override
    public String toString() {
        return String.join(",", texts);
    }
}
