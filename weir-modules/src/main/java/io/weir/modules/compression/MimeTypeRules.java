package io.weir.modules.compression;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@code staticTypes} or {@code dynamicTypes} list: MIME types, with {@code type/*} and
 * {@code *}{@code /*} wildcards, each enabled or not. The most specific entry that matches a
 * response's {@code Content-Type} decides (an exact type, then {@code type/*}, then
 * {@code *}{@code /*}), whatever the order of the entries, so that a web.config adding
 * {@code application/wasm} after the server's {@code *}{@code /*} disabled entry still enables it;
 * an entry may name parameters ({@code text/html; charset=utf-8}) and then matches only a response
 * with those parameters. No matching entry means not compressed.
 */
final class MimeTypeRules {

    /** How many distinct Content-Type values {@link #matches} remembers the answer for. */
    private static final int REMEMBERED = 256;

    private final Map<String, Boolean> entries;
    /** Answers of {@link #matches} by Content-Type value as sent: a response type costs one lookup. */
    private final ConcurrentHashMap<String, Boolean> answers = new ConcurrentHashMap<>();

    private MimeTypeRules(Map<String, Boolean> entries) {
        this.entries = entries;
    }

    static final MimeTypeRules NONE = new MimeTypeRules(Map.of());

    /**
     * Binds the element's merged collection.
     *
     * @param element {@code staticTypes} or {@code dynamicTypes}
     * @return the rules
     * @throws ConfigException when an entry has no mimeType
     */
    static MimeTypeRules from(ConfigElement element) {
        Map<String, Boolean> entries = new HashMap<>();
        for (ConfigElement add : element.collection()) {
            String type = add.stringAttribute("mimeType", "").trim();
            if (type.isEmpty()) {
                throw new ConfigException(add.source(), "<add> in <" + element.elementName() + "> needs a mimeType");
            }
            entries.put(normalize(type), add.booleanAttribute("enabled", false));
        }
        return new MimeTypeRules(Map.copyOf(entries));
    }

    /**
     * Rules from type-to-enabled pairs, as the binder makes them from {@code <add>} entries.
     *
     * @param entries MIME type (with wildcards) to enabled
     * @return the rules
     */
    static MimeTypeRules of(Map<String, Boolean> entries) {
        Map<String, Boolean> normalized = new HashMap<>();
        entries.forEach((type, enabled) -> normalized.put(normalize(type), enabled));
        return new MimeTypeRules(Map.copyOf(normalized));
    }

    private static String normalize(String type) {
        StringBuilder b = new StringBuilder(type.length());
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c != ' ' && c != '\t') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /**
     * Says whether a response of this type is compressed.
     *
     * @param contentType the response's {@code Content-Type}, possibly with parameters
     * @return true when the most specific matching entry is enabled
     */
    boolean matches(String contentType) {
        if (contentType == null || contentType.isEmpty() || entries.isEmpty()) {
            return false;
        }
        Boolean known = answers.get(contentType);
        if (known != null) {
            return known;
        }
        boolean answer = decide(contentType);
        if (answers.size() < REMEMBERED) {
            answers.put(contentType, answer);
        }
        return answer;
    }

    private boolean decide(String contentType) {
        String full = normalize(contentType);
        Boolean exact = entries.get(full);
        if (exact != null) {
            return exact;
        }
        int semi = full.indexOf(';');
        String bare = semi < 0 ? full : full.substring(0, semi);
        Boolean b = entries.get(bare);
        if (b != null) {
            return b;
        }
        int slash = bare.indexOf('/');
        if (slash > 0) {
            Boolean family = entries.get(bare.substring(0, slash) + "/*");
            if (family != null) {
                return family;
            }
        }
        Boolean any = entries.get("*/*");
        return any != null && any;
    }

    /** @return the entries, type to enabled */
    Map<String, Boolean> entries() {
        return entries;
    }

    /** @return the entries in XML-like form */
    @Override
    public String toString() {
        return entries.toString().toLowerCase(Locale.ROOT);
    }
}
