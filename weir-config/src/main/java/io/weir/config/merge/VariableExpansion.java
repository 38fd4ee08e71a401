package io.weir.config.merge;

import java.util.Map;
import java.util.TreeMap;

/**
 * Expands Windows-style {@code %NAME%} references in the attributes IIS marks
 * {@code expanded="true"}, as {@code ExpandEnvironmentStrings} does: names match without regard
 * to case; values come from the given variables first, then from the process environment; a
 * reference to an unknown variable is left as written ({@code %NAME%} stays verbatim).
 *
 * <p>Immutable and thread-safe.
 */
public final class VariableExpansion {

    private final Map<String, String> values;

    /**
     * Creates an expansion over explicit variables and an environment.
     *
     * @param variables   consulted first
     * @param environment consulted when {@code variables} has no such name (normally {@link System#getenv()})
     */
    public VariableExpansion(Map<String, String> variables, Map<String, String> environment) {
        TreeMap<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(environment);
        merged.putAll(variables);
        this.values = merged;
    }

    /**
     * Creates an expansion over explicit variables and the process environment.
     *
     * @param variables consulted before the process environment
     * @return the expansion
     */
    public static VariableExpansion withProcessEnvironment(Map<String, String> variables) {
        return new VariableExpansion(variables, System.getenv());
    }

    /**
     * Tells whether a variable is defined.
     *
     * @param name the variable's name, any case
     * @return true when the variables or the environment define it
     */
    public boolean isDefined(String name) {
        return values.containsKey(name);
    }

    /**
     * Expands every {@code %NAME%} reference.
     *
     * @param value the attribute value as written
     * @return the value with known references replaced and unknown ones kept verbatim
     */
    public String expand(String value) {
        int first = value.indexOf('%');
        if (first < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 32);
        out.append(value, 0, first);
        int i = first;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int close = value.indexOf('%', i + 1);
            if (close < 0) {
                out.append(value, i, value.length());
                break;
            }
            String name = value.substring(i + 1, close);
            String replacement = name.isEmpty() ? null : values.get(name);
            if (replacement == null) {
                out.append(value, i, close + 1);
            } else {
                out.append(replacement);
            }
            i = close + 1;
        }
        return out.toString();
    }
}
