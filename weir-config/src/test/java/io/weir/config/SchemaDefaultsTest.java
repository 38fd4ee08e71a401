package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.schema.AttributeSchema;
import io.weir.config.schema.CollectionSchema;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.ElementSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Every implemented section's schema matches IIS Express's IIS_schema.xml (read
 * at test time from the shared compatibility inputs): the same attributes with the same types,
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
            "system.webServer/rewrite/rules/rule/conditions/add: keys",
            "URL Rewrite's schema gives distributed conditions no key; Weir's collections need one, so all five"
                    + " attributes form it (as in globalRules)",
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
    void everyImplementedSectionMatchesIisSchema() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Map<String, Element> iisSections = new LinkedHashMap<>();
        // IIS_schema.xml, and URL Rewrite's rewrite_schema.xml beside it (an add-on's schema file)
        for (Path file : List.of(schemaFile(), schemaFile().resolveSibling("rewrite_schema.xml"))) {
            Document document = factory.newDocumentBuilder().parse(file.toFile());
            for (Element section : children(document.getDocumentElement(), "sectionSchema")) {
                iisSections.put(section.getAttribute("name"), section);
            }
        }
        List<String> differences = new ArrayList<>();
        Set<String> extensions = Set.copyOf(ConfigSchema.weirExtensions());
        int attributesCompared = 0;
        for (String section : ConfigSchema.implementedSections()) {
            if (OTHER_SCHEMA_FILES.contains(section)) {
                continue;
            }
            Element iis = iisSections.get(section);
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

    private static int compare(
            String section,
            String where,
            String path,
            Element iis,
            ElementSchema weir,
            List<String> differences,
            Set<String> extensions) {
        int compared = 0;
        Map<String, Element> iisAttributes = new LinkedHashMap<>();
        for (Element attribute : children(iis, "attribute")) {
            iisAttributes.put(attribute.getAttribute("name"), attribute);
        }
        for (Element attribute : iisAttributes.values()) {
            String name = attribute.getAttribute("name");
            AttributeSchema ours = weir.attributes().get(name);
            if (ours == null) {
                differences.add(where + "@" + name + ": missing");
                continue;
            }
            compared++;
            String type = attribute.getAttribute("type").toLowerCase(Locale.ROOT);
            if (!ours.typeName().equals(type)) {
                differences.add(where + "@" + name + ": type " + ours.typeName() + ", IIS " + type);
            }
            String iisDefault = attribute.hasAttribute("defaultValue") ? attribute.getAttribute("defaultValue") : null;
            if (!Objects.equals(ours.defaultValue().orElse(null), iisDefault)) {
                differences.add(
                        where + "@" + name + ": default " + ours.defaultValue().orElse(null) + ", IIS " + iisDefault);
            }
            Map<String, Long> iisValues = new LinkedHashMap<>();
            for (Node child = attribute.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element e
                        && (e.getTagName().equals("enum") || e.getTagName().equals("flag"))) {
                    iisValues.put(e.getAttribute("name"), Long.parseLong(e.getAttribute("value")));
                }
            }
            if (!ours.values().equals(iisValues)) {
                differences.add(where + "@" + name + ": values " + ours.values() + ", IIS " + iisValues);
            }
            if (ours.expanded() != "true".equals(attribute.getAttribute("expanded"))) {
                differences.add(where + "@" + name + ": expanded " + ours.expanded());
            }
            boolean required = "true".equals(attribute.getAttribute("required"))
                    || "true".equals(attribute.getAttribute("isUniqueKey"));
            if (ours.required() != required) {
                differences.add(where + "@" + name + ": required " + ours.required());
            }
        }
        for (AttributeSchema ours : weir.attributes().values()) {
            if (!iisAttributes.containsKey(ours.name())) {
                String key = section + "|" + path + "|" + ours.name();
                if (!ours.weirExtension() || !extensions.contains(key)) {
                    differences.add(where + "@" + ours.name() + ": not in IIS_schema.xml and not a Weir extension");
                }
            }
        }
        Map<String, Element> iisChildren = new LinkedHashMap<>();
        for (Element child : children(iis, "element")) {
            iisChildren.put(child.getAttribute("name"), child);
        }
        if (!iisChildren.keySet().equals(weir.children().keySet())) {
            differences.add(where + ": children " + weir.children().keySet() + ", IIS " + iisChildren.keySet());
        }
        for (Map.Entry<String, Element> child : iisChildren.entrySet()) {
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
        List<Element> collections = children(iis, "collection");
        if (collections.isEmpty() != weir.collection().isEmpty()) {
            differences.add(
                    where + ": collection " + weir.collection().isPresent() + ", IIS " + !collections.isEmpty());
        } else if (!collections.isEmpty()) {
            Element collection = collections.get(0);
            CollectionSchema ours = weir.collection().get();
            String add = collection.getAttribute("addElement");
            String itemWhere = where + "/" + add;
            if (!ours.addElement().equals(add)
                    || !ours.removeElement().orElse("").equals(collection.getAttribute("removeElement"))
                    || !ours.clearElement().orElse("").equals(collection.getAttribute("clearElement"))) {
                differences.add(itemWhere + ": directives");
            }
            if (ours.mergeAppend() == "false".equals(collection.getAttribute("mergeAppend"))) {
                differences.add(itemWhere + ": mergeAppend " + ours.mergeAppend());
            }
            List<String> keys = new ArrayList<>();
            boolean caseSensitive = false;
            for (Element attribute : children(collection, "attribute")) {
                if ("true".equals(attribute.getAttribute("isUniqueKey")) && keys.isEmpty()
                        || "true".equals(attribute.getAttribute("isCombinedKey"))) {
                    keys.add(attribute.getAttribute("name"));
                    caseSensitive |= "true".equals(attribute.getAttribute("caseSensitive"));
                }
            }
            if (!ours.keyAttributes().equals(keys)) {
                differences.add(itemWhere + ": keys " + ours.keyAttributes() + ", IIS " + keys);
            }
            if (ours.caseSensitiveKeys() != caseSensitive) {
                differences.add(itemWhere + ": caseSensitiveKeys " + ours.caseSensitiveKeys());
            }
            compared += compare(
                    section,
                    itemWhere,
                    path.isEmpty() ? add : path + "/" + add,
                    collection,
                    ours.item(),
                    differences,
                    extensions);
        }
        return compared;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}
