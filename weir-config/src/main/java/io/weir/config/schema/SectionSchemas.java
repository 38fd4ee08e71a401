package io.weir.config.schema;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration schema one configuration snapshot is read with: the sections Weir implements
 * ({@link ConfigSchema}) plus the sections declared by schema files in IIS's format
 * ({@link SchemaFile}): the {@code schema} folder beside applicationHost.config and the
 * {@code META-INF/weir/schema/*.xml} resources of module JARs, as IIS reads
 * {@code inetsrv\config\schema\*.xml}.
 *
 * <p>Several files may declare one section, as IIS lets a schema file extend a section another
 * file declares (a {@code <sectionSchema>} of the same name adds attributes, child elements and
 * collection item attributes): the declarations merge, in the order the files were found. An
 * attribute two files declare is refused, naming both. A file may extend a section Weir implements
 * itself the same way; an attribute Weir declares too keeps Weir's declaration, which its tests keep
 * in agreement with IIS's files (so URL Rewrite's {@code rewrite_schema.xml} dropped into the folder
 * loads unchanged); such sections are listed by {@link #builtInDeclaredByFiles()}. Immutable and
 * thread-safe.
 */
public final class SectionSchemas {

    private static final SectionSchemas BUILT_IN = new SectionSchemas(Map.of(), Map.of(), List.of(), List.of());

    private final Map<String, ElementSchema> fromFiles;
    private final Map<String, String> origins;
    private final List<String> builtInDeclaredByFiles;
    private final List<String> notes;
    private final Set<String> implemented;

    private SectionSchemas(
            Map<String, ElementSchema> fromFiles,
            Map<String, String> origins,
            List<String> builtInDeclaredByFiles,
            List<String> notes) {
        this.fromFiles = Collections.unmodifiableMap(new LinkedHashMap<>(fromFiles));
        this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
        this.builtInDeclaredByFiles = List.copyOf(builtInDeclaredByFiles);
        this.notes = List.copyOf(notes);
        Set<String> all = new LinkedHashSet<>(ConfigSchema.implementedSections());
        all.addAll(fromFiles.keySet());
        this.implemented = Collections.unmodifiableSet(all);
    }

    /**
     * Returns the sections Weir implements, without schema files.
     *
     * @return the built-in schema
     */
    public static SectionSchemas builtIn() {
        return BUILT_IN;
    }

    /**
     * Returns the built-in sections plus those of schema files.
     *
     * @param files the schema files, in the order they were found
     * @return the schema
     * @throws ConfigException when two files declare the same attribute of a section (at the second
     *                         declaration, naming the first)
     */
    public static SectionSchemas of(List<SchemaFile> files) {
        if (files.isEmpty()) {
            return BUILT_IN;
        }
        Map<String, ElementSchema> sections = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        Map<String, ConfigSource> declaredAt = new LinkedHashMap<>();
        List<String> builtIn = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (SchemaFile file : files) {
            notes.addAll(file.notes());
            for (Map.Entry<String, ElementSchema> section : file.sections().entrySet()) {
                String name = section.getKey();
                ConfigSource at = file.sources().get(name);
                Optional<ElementSchema> weirs = ConfigSchema.section(name);
                ConfigSource previous = declaredAt.putIfAbsent(name, at);
                ElementSchema before = sections.get(name);
                if (before == null && weirs.isEmpty()) {
                    sections.put(name, section.getValue());
                    origins.put(name, file.label());
                    continue;
                }
                if (weirs.isPresent() && !builtIn.contains(name)) {
                    builtIn.add(name);
                }
                String conflict = "section '" + name + "' is already declared by another schema file (at " + previous
                        + ") with attribute ";
                sections.put(
                        name,
                        SchemaMerge.merge(
                                before != null ? before : weirs.get(),
                                section.getValue(),
                                weirs.orElse(null),
                                attribute -> new ConfigException(
                                        at, conflict + "'" + attribute + "'; one attribute has one declaration")));
            }
        }
        return new SectionSchemas(sections, origins, builtIn, notes);
    }

    /**
     * Returns the schema of a section.
     *
     * @param sectionPath the section's full name
     * @return its root element schema, or empty when neither Weir nor a schema file declares it
     */
    public Optional<ElementSchema> section(String sectionPath) {
        ElementSchema fromFile = fromFiles.get(sectionPath);
        return fromFile != null ? Optional.of(fromFile) : ConfigSchema.section(sectionPath);
    }

    /**
     * Returns every section with a schema: Weir's own, then those of schema files.
     *
     * @return full section names
     */
    public Set<String> implementedSections() {
        return implemented;
    }

    /**
     * Returns the sections declared by schema files (and not implemented by Weir), with the file
     * that declares each.
     *
     * @return section full name to the schema file's label, in the order found
     */
    public Map<String, String> moduleSections() {
        return origins;
    }

    /**
     * Returns the sections Weir implements that a schema file declares too (Weir's declaration governs).
     *
     * @return full section names
     */
    public List<String> builtInDeclaredByFiles() {
        return builtInDeclaredByFiles;
    }

    /**
     * Returns what the schema files' readers ignored, one line each with its file, line and column.
     *
     * @return the notes
     */
    public List<String> notes() {
        return notes;
    }
}
