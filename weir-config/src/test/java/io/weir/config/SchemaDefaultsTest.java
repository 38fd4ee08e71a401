package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.schema.AttributeSchema;
import io.weir.config.schema.CollectionSchema;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.ElementSchema;
import io.weir.config.schema.SchemaFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every implemented section's schema matches IIS Express's IIS_schema.xml (read at test time from
 * the shared compatibility inputs, through Weir's own schema file reader, {@link SchemaFile}, the
 * one that reads the schema files of modules): the same attributes with the same types,
 * defaults and enum/flag values, the same child elements and collections (directives, keys,
 * append/prepend). Any difference fails, except the deliberate Weir departures listed in
 * {@link #DEPARTURES} and the Weir extensions of {@link ConfigSchema#weirExtensions()}.
 */
class SchemaDefaultsTest {

    /** Deliberate departures from IIS_schema.xml, each with its reason. "where: what" → reason. */
    private static final Map<String, String> DEPARTURES = Map.of(
            "system.webServer/security/authorization/add: caseSensitiveKeys",
            "IIS marks only 'verbs' case-sensitive; Weir's combined keys compare all parts one way, and user"
                    + " and role names are not case-sensitive on IIS, so the key compares without case",
            "system.applicationHost/sites/site: children",
            "IIS 10 version 1709 added <hsts> to site and siteDefaults; IIS Express's IIS_schema.xml predates it",
            "system.applicationHost/sites/siteDefaults: children",
            "IIS 10 version 1709 added <hsts> to site and siteDefaults; IIS Express's IIS_schema.xml predates it",
            "system.applicationHost/weirHttpLimits: not in IIS_schema.xml",
            "Weir's own section: IIS keeps these limits (MaxFieldLength, MaxRequestBytes) in http.sys's registry",
            "system.webServer/weirSymbolicLinks: not in IIS_schema.xml",
            "Weir's own section: IIS has no setting for symbolic links (nginx's disable_symlinks is the model)");

    private static Path schemaFile() {
        return CompatInputs.file("iis-express/IIS_schema.xml");
    }

    /**
     * Sections whose schema ships with an IIS extension rather than in IIS_schema.xml: Application
     * Request Routing's {@code proxy} and {@code webFarms} (arr_schema.xml, not among the compat
     * files), whose defaults are written after ARR's documentation, and the ASP.NET Core Module's
     * {@code aspNetCore} (aspnetcore_schema_v2.xml, whose types and defaults AspNetCoreSchema copies).
     */
    private static final Set<String> OTHER_SCHEMA_FILES =
            Set.of(ConfigSchema.PROXY, ConfigSchema.WEB_FARMS, ConfigSchema.ASP_NET_CORE);

    @Test
    void everyImplementedSectionMatchesIisSchema() {
        Map<String, ElementSchema> iisSections = new LinkedHashMap<>();
        // IIS_schema.xml, and URL Rewrite's rewrite_schema.xml beside it (an add-on's schema file)
        for (Path file : List.of(schemaFile(), schemaFile().resolveSibling("rewrite_schema.xml"))) {
            iisSections.putAll(SchemaFile.read(file).sections());
        }
        List<String> differences = new ArrayList<>();
        Set<String> extensions = Set.copyOf(ConfigSchema.weirExtensions());
        int attributesCompared = 0;
        for (String section : ConfigSchema.implementedSections()) {
            if (OTHER_SCHEMA_FILES.contains(section)) {
                continue;
            }
            ElementSchema iis = iisSections.get(section);
            if (iis == null) {
                differences.add(section + ": not in IIS_schema.xml");
                continue;
            }
            attributesCompared += compare(
                    section, section, "", iis, ConfigSchema.section(section).orElseThrow(), differences, extensions);
        }
        differences.removeIf(d -> DEPARTURES.keySet().stream().anyMatch(d::startsWith));
        assertThat(differences).as("differences from IIS_schema.xml").isEmpty();
        assertThat(attributesCompared).isGreaterThan(200);
    }

    /**
     * Compares Weir's declaration of one element with IIS's.
     *
     * @return the number of IIS attributes compared
     */
    static int compare(
            String section,
            String where,
            String path,
            ElementSchema iis,
            ElementSchema weir,
            List<String> differences,
            Set<String> extensions) {
        int compared = 0;
        for (AttributeSchema theirs : iis.attributes().values()) {
            String name = theirs.name();
            AttributeSchema ours = weir.attributes().get(name);
            if (ours == null) {
                differences.add(where + "@" + name + ": missing");
                continue;
            }
            compared++;
            if (!ours.typeName().equals(theirs.typeName())) {
                differences.add(where + "@" + name + ": type " + ours.typeName() + ", IIS " + theirs.typeName());
            }
            if (!Objects.equals(ours.defaultValue(), theirs.defaultValue())) {
                differences.add(
                        where + "@" + name + ": default " + ours.defaultValue().orElse(null) + ", IIS "
                                + theirs.defaultValue().orElse(null));
            }
            if (!ours.values().equals(theirs.values())) {
                differences.add(where + "@" + name + ": values " + ours.values() + ", IIS " + theirs.values());
            }
            if (ours.expanded() != theirs.expanded()) {
                differences.add(where + "@" + name + ": expanded " + ours.expanded());
            }
            if (ours.required() != theirs.required()) {
                differences.add(where + "@" + name + ": required " + ours.required());
            }
        }
        for (AttributeSchema ours : weir.attributes().values()) {
            if (!iis.attributes().containsKey(ours.name())) {
                String key = section + "|" + path + "|" + ours.name();
                if (!ours.weirExtension() || !extensions.contains(key)) {
                    differences.add(where + "@" + ours.name() + ": not in IIS_schema.xml and not a Weir extension");
                }
            }
        }
        if (!iis.children().keySet().equals(weir.children().keySet())) {
            differences.add(where + ": children " + weir.children().keySet() + ", IIS "
                    + iis.children().keySet());
        }
        for (Map.Entry<String, ElementSchema> child : iis.children().entrySet()) {
            ElementSchema ours = weir.children().get(child.getKey());
            if (ours != null) {
                compared += compare(
                        section,
                        where + "/" + child.getKey(),
                        path.isEmpty() ? child.getKey() : path + "/" + child.getKey(),
                        child.getValue(),
                        ours,
                        differences,
                        extensions);
            }
        }
        if (iis.collection().isEmpty() != weir.collection().isEmpty()) {
            differences.add(where + ": collection " + weir.collection().isPresent() + ", IIS "
                    + iis.collection().isPresent());
        } else if (iis.collection().isPresent()) {
            CollectionSchema theirs = iis.collection().get();
            CollectionSchema ours = weir.collection().get();
            String add = theirs.addElement();
            String itemWhere = where + "/" + add;
            if (!ours.addElement().equals(add)
                    || !ours.removeElement().equals(theirs.removeElement())
                    || !ours.clearElement().equals(theirs.clearElement())) {
                differences.add(itemWhere + ": directives");
            }
            if (ours.mergeAppend() != theirs.mergeAppend()) {
                differences.add(itemWhere + ": mergeAppend " + ours.mergeAppend());
            }
            if (!ours.keyAttributes().equals(theirs.keyAttributes())) {
                differences.add(itemWhere + ": keys " + ours.keyAttributes() + ", IIS " + theirs.keyAttributes());
            }
            if (ours.caseSensitiveKeys() != theirs.caseSensitiveKeys()) {
                differences.add(itemWhere + ": caseSensitiveKeys " + ours.caseSensitiveKeys());
            }
            compared += compare(
                    section,
                    itemWhere,
                    path.isEmpty() ? add : path + "/" + add,
                    theirs.item(),
                    ours.item(),
                    differences,
                    extensions);
        }
        return compared;
    }
}
