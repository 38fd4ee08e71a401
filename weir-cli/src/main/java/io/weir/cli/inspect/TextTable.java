package io.weir.cli.inspect;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table printed with aligned columns, as appcmd-like listings want: a header row, then one row
 * per item; every column but the last is padded to its widest cell, two spaces apart.
 */
public final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /**
     * @param headers the column titles
     */
    public TextTable(String... headers) {
        this.columns = headers.length;
        rows.add(headers.clone());
    }

    /**
     * Adds a row.
     *
     * @param cells one per column (null prints as empty)
     * @return this table
     * @throws IllegalArgumentException when the number of cells is not the number of columns
     */
    public TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c).toArray(String[]::new));
        return this;
    }

    /**
     * Prints the table.
     *
     * @param out where to print
     */
    public void print(PrintWriter out) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
