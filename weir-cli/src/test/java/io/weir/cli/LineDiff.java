package io.weir.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff for tests: the lines removed ({@code "-"} prefix) and added ({@code "+"} prefix), in
 * order, from the longest common subsequence of the two texts' lines. Lines keep their
 * indentation; line endings are not part of a line (tests compare bytes for those).
 */
public final class LineDiff {

    private LineDiff() {}

    /**
     * Diffs two texts.
     *
     * @param before the text before
     * @param after  the text after
     * @return the changed lines, "-" for removed and "+" for added, in document order
     */
    public static List<String> of(String before, String after) {
        String[] a = before.split("\r\n|\r|\n", -1);
        String[] b = after.split("\r\n|\r|\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> changes = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                changes.add("-" + a[i++]);
            } else {
                changes.add("+" + b[j++]);
            }
        }
        return changes;
    }
}
