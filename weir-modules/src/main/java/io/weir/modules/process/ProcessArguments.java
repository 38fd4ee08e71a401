package io.weir.modules.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code arguments} attribute of the sections that start a process (FastCGI's
 * {@code application}, the ASP.NET Core Module's {@code aspNetCore}), split into the words of a
 * command line as IIS passes them: white space separates words, double quotes group them and are
 * dropped.
 */
public final class ProcessArguments {

    private ProcessArguments() {}

    /**
     * Splits an {@code arguments} value into words.
     *
     * @param arguments the attribute's value, possibly empty
     * @return the words, possibly empty; {@code ""} stays a word
     */
    public static List<String> split(String arguments) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }
}
