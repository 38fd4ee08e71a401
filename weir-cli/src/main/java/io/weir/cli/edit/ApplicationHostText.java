package io.weir.cli.edit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration levels and sections of an applicationHost.config text, for editing: the
 * server level (sections under {@code <configuration>}, or in a {@code <location path="">} as the
 * stock files keep {@code <modules>} and {@code <handlers>}), and each {@code <location path>}.
 * Lookups return elements of the current text; after an edit, look again.
 */
public final class ApplicationHostText {

    private final ConfigDocument document;

    /**
     * @param document the text being edited
     */
    public ApplicationHostText(ConfigDocument document) {
        this.document = document;
    }

    /** @return the text being edited */
    public ConfigDocument document() {
        return document;
    }

    /**
     * Normalizes a location path as the configuration reader does: slashes trimmed at both ends,
     * {@code \} read as {@code /}, {@code "."} read as the file's own level {@code ""}.
     *
     * @param path the path as written or given
     * @return the normalized path
     */
    public static String normalizeLocationPath(String path) {
        String p = path.strip().replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        while (p.contains("//")) {
            p = p.replace("//", "/");
        }
        return p.equals(".") ? "" : p;
    }

    /**
     * Returns the {@code <location>} elements whose path is {@code path} (compared without regard
     * to case, as IIS matches location paths).
     *
     * @param path a normalized location path ("" for the server level)
     * @return the locations, in document order
     */
    public List<TextElement> locations(String path) {
        return document.root().children("location").stream()
                .filter(l -> normalizeLocationPath(l.value("path").orElse("")).equalsIgnoreCase(path))
                .toList();
    }

    /**
     * Finds a section inside a container: {@code <configuration>} or a {@code <location>}.
     *
     * @param container   the container
     * @param sectionPath the section's full name, for example {@code system.webServer/security/requestFiltering}
     * @return the section element, or empty when the container does not write it
     */
    public static Optional<TextElement> section(TextElement container, String sectionPath) {
        TextElement current = container;
        for (String segment : sectionPath.split("/")) {
            Optional<TextElement> next = current.child(segment);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return Optional.of(current);
    }

    /**
     * Finds a section written at a level.
     *
     * @param locationPath a normalized location path, "" for the server level (which includes
     *                     {@code <location path="">})
     * @param sectionPath  the section's full name
     * @return the section element, or empty when the level does not write it
     */
    public Optional<TextElement> section(String locationPath, String sectionPath) {
        if (locationPath.isEmpty()) {
            Optional<TextElement> atRoot = section(document.root(), sectionPath);
            if (atRoot.isPresent()) {
                return atRoot;
            }
        }
        for (TextElement location : locations(locationPath)) {
            Optional<TextElement> found = section(location, sectionPath);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Returns every element of a section in the file, at every level.
     *
     * @param sectionPath the section's full name
     * @return the section elements, in document order
     */
    public List<TextElement> sectionsAtEveryLevel(String sectionPath) {
        List<TextElement> found = new ArrayList<>();
        section(document.root(), sectionPath).ifPresent(found::add);
        for (TextElement location : document.root().children("location")) {
            section(location, sectionPath).ifPresent(found::add);
        }
        return found;
    }

    /**
     * Returns a section at a level, creating it (and the section groups and {@code <location>}
     * around it) when the level does not write it. At the server level a new section goes under
     * {@code <configuration>} (before the first {@code <location>} when a new section group is
     * needed), except {@code modules} and {@code handlers}, which go in the {@code <location path="">}
     * when the file has one, as the stock files keep them. A new {@code <location>} is appended at
     * the end of {@code <configuration>}, where IIS adds them.
     *
     * @param locationPath a normalized location path, "" for the server level
     * @param sectionPath  the section's full name
     * @return the section element of the (possibly edited) text
     */
    public TextElement ensureSection(String locationPath, String sectionPath) {
        Optional<TextElement> existing = section(locationPath, sectionPath);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> segments = Arrays.asList(sectionPath.split("/"));
        TextElement container;
        if (locationPath.isEmpty()) {
            String last = segments.get(segments.size() - 1);
            List<TextElement> serverLocations = locations("");
            boolean stockLocation = (last.equals("modules") || last.equals("handlers")) && !serverLocations.isEmpty();
            container = stockLocation ? serverLocations.get(0) : document.root();
        } else {
            List<TextElement> found = locations(locationPath);
            if (found.isEmpty()) {
                NewElement section = new NewElement(segments.get(segments.size() - 1), Map.of(), List.of());
                NewElement location = section.wrappedIn(segments.subList(0, segments.size() - 1));
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("path", locationPath);
                document.appendChild(document.root(), new NewElement("location", attributes, List.of(location)));
                return section(locationPath, sectionPath).orElseThrow();
            }
            container = found.get(0);
        }
        TextElement deepest = container;
        int depth = 0;
        while (depth < segments.size()) {
            Optional<TextElement> next = deepest.child(segments.get(depth));
            if (next.isEmpty()) {
                break;
            }
            deepest = next.get();
            depth++;
        }
        NewElement missing = new NewElement(segments.get(segments.size() - 1), Map.of(), List.of())
                .wrappedIn(segments.subList(depth, segments.size() - 1));
        Optional<TextElement> firstLocation =
                deepest == document.root() ? document.root().child("location") : Optional.empty();
        if (firstLocation.isPresent()) {
            document.insertBefore(firstLocation.get(), missing);
        } else {
            document.appendChild(deepest, missing);
        }
        return section(locationPath, sectionPath).orElseThrow();
    }

    /**
     * Returns the site and URL path of a normalized location path.
     *
     * @param locationPath for example {@code "Default Web Site/app"}
     * @return the site name and the URL path ({@code "/"} for the site root)
     */
    public static String[] siteAndUrl(String locationPath) {
        int slash = locationPath.indexOf('/');
        return slash < 0
                ? new String[] {locationPath, "/"}
                : new String[] {locationPath.substring(0, slash), locationPath.substring(slash)};
    }

    /**
     * Lower-cases for comparisons of names IIS compares without regard to case.
     *
     * @param s a string
     * @return its lower-case form
     */
    static String fold(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
