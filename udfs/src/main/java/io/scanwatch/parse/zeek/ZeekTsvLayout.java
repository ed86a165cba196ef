package io.scanwatch.parse.zeek;

import io.scanwatch.parse.ParsedLine;
import java.util.function.ToIntFunction;

/** What the header of a Zeek TSV log says: separator, unset and empty markers, and which column is which. */
final class ZeekTsvLayout {
    /** The name under which a row carries its log's {@code #path}, as Zeek's JSON lines name it. */
    static final String PATH = "_path";

    private final ToIntFunction<String> slotOf;
    private final int pathSlot;
    /** The log's name from its {@code #path} header; null until one was read. */
    private String path;

    private char separator = '\t';
    private String unsetField = "-";
    private String emptyField = "(empty)";
    /** The values slot of each column, -1 for columns not wanted; null until a #fields header was read. */
    private int[] columns;

    ZeekTsvLayout(ToIntFunction<String> slotOf) {
        this.slotOf = slotOf;
        this.pathSlot = slotOf.applyAsInt(PATH);
    }

    ParsedLine readHeader(String line) {
        int space = indexOfWhitespace(line);
        String directive = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        switch (directive) {
            case "#separator":
                // The first line of a log's header: logs concatenated into one file each begin with it.
                path = null;
                String sep = unescape(rest.trim());
                if (sep.length() != 1) {
                    columns = null;
                    return ParsedLine.rejected("unsupported #separator '" + rest + "'");
                }
                separator = sep.charAt(0);
                return ParsedLine.skipped("zeek header");
            case "#unset_field":
                unsetField = rest;
                return ParsedLine.skipped("zeek header");
            case "#empty_field":
                emptyField = rest;
                return ParsedLine.skipped("zeek header");
            case "#path":
                path = rest.trim();
                return ParsedLine.skipped("zeek header");
            case "#fields":
                String[] names = split(rest);
                columns = new int[names.length];
                for (int i = 0; i < names.length; i++) {
                    columns[i] = slotOf.applyAsInt(names[i]);
                }
                return ParsedLine.skipped("zeek header");
            default:
                return ParsedLine.skipped("zeek header");
        }
    }

    boolean hasColumns() {
        return columns != null;
    }

    /** @return null when the row was read into the values, else what is wrong with it. */
    String readRow(String line, String[] values) {
        if (columns == null) {
            return "neither a JSON object nor a TSV row after a #fields header";
        }
        int column = 0;
        int start = 0;
        int length = line.length();
        while (start <= length) {
            int end = line.indexOf(separator, start);
            if (end < 0) {
                end = length;
            }
            if (column < columns.length && columns[column] >= 0) {
                String value = line.substring(start, end);
                if (!value.equals(unsetField) && !value.equals(emptyField)) {
                    values[columns[column]] = value;
                }
            }
            column++;
            start = end + 1;
        }
        if (column != columns.length) {
            return "row has " + column + " columns, the #fields header names " + columns.length;
        }
        if (pathSlot >= 0) {
            values[pathSlot] = path;
        }
        return null;
    }

    private String[] split(String text) {
        return text.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
    }

    private static int indexOfWhitespace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ' ' || line.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** Zeek writes the separator as {@code \x09}. */
    private static String unescape(String text) {
        if (text.startsWith("\\x") && text.length() == 4) {
            int high = Character.digit(text.charAt(2), 16);
            int low = Character.digit(text.charAt(3), 16);
            return high >= 0 && low >= 0 ? String.valueOf((char) (high * 16 + low)) : text;
        }
        return text;
    }
}
