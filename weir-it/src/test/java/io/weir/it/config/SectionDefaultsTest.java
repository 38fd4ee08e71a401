package io.weir.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.config.ConfigSource;
import io.weir.config.merge.MergedElement;
import io.weir.config.schema.AttributeSchema;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.ElementSchema;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The defaults of each built-in section are declared once, in the configuration schema: every
 * fallback a built-in module passes to a typed getter ({@code booleanAttribute(name, fallback)} and
 * the like) for a section, or a plain child of it, equals what the schema declares for that
 * attribute, so no module can drift from the schema. The check binds each module's section types
 * ({@link ConfigSectionType} constants of {@code io.weir.modules}) to an element that records what
 * the binder asks for. An attribute whose schema declares no default must fall back to its type's
 * empty value, as IIS answers it, and a typed element's attribute a module reads must be declared.
 */
class SectionDefaultsTest {

    /** One typed-getter call: where, which attribute, and the fallback the module passed. */
    private record Asked(
            String section,
            String element,
            ElementSchema schema,
            String attribute,
            Function<ConfigElement, Object> getter,
            Object fallback) {}

    @Test
    void everyModuleFallbackEqualsTheSchemaDefault() throws Exception {
        List<ConfigSectionType<?>> types = sectionTypes();
        assertThat(types).as("section types of the built-in modules").hasSizeGreaterThan(10);
        List<Asked> asked = new ArrayList<>();
        int bound = 0;
        for (ConfigSectionType<?> type : types) {
            Optional<ElementSchema> schema = ConfigSchema.section(type.sectionPath());
            if (schema.isEmpty()) {
                continue;
            }
            String leaf = type.sectionPath().substring(type.sectionPath().lastIndexOf('/') + 1);
            try {
                type.binder().apply(new Recording(type.sectionPath(), leaf, schema.get(), asked));
            } catch (ConfigException | IllegalArgumentException e) {
                // a binder that insists on a value stops here; what it asked before still counts
            }
            bound++;
        }
        assertThat(bound).as("section types with a schema").isGreaterThan(9);
        assertThat(asked).as("typed getters called by the binders").hasSizeGreaterThan(20);
        List<String> divergent = new ArrayList<>();
        List<Asked> compared = new ArrayList<>();
        for (Asked a : asked) {
            Optional<AttributeSchema> declared = a.schema().attribute(a.attribute());
            if (declared.isEmpty()) {
                if (a.schema().typed()) {
                    divergent.add(a.section() + " " + a.element() + "@" + a.attribute()
                            + ": read by the module, not declared by the schema (a file cannot set it)");
                }
                continue;
            }
            if (declared.get().defaultValue().isEmpty()) {
                // IIS answers an attribute without a declared default with its type's empty value
                if (!List.of("", false, 0L).contains(a.fallback())) {
                    divergent.add(a.section() + " " + a.element() + "@" + a.attribute() + ": module " + a.fallback()
                            + ", schema declares no default");
                }
                continue;
            }
            MergedElement written = new MergedElement(
                    a.element(),
                    ConfigSource.DEFAULTS,
                    Map.of(a.attribute(), declared.get().defaultValue().get()),
                    Map.of(),
                    Map.of(),
                    List.of());
            Object schemaValue;
            try {
                schemaValue = a.getter().apply(written);
            } catch (ConfigException e) {
                divergent.add(a.section() + " " + a.element() + "@" + a.attribute() + ": schema default '"
                        + declared.get().defaultValue().get() + "' does not parse as the module reads it");
                continue;
            }
            compared.add(a);
            if (!Objects.equals(schemaValue, a.fallback())) {
                divergent.add(a.section() + " " + a.element() + "@" + a.attribute() + ": module " + a.fallback()
                        + ", schema " + schemaValue);
            }
        }
        assertThat(compared).as("fallbacks compared with a declared default").hasSizeGreaterThan(40);
        assertThat(divergent)
                .as("module fallbacks that differ from the schema's defaults")
                .isEmpty();
    }

    @Test
    void theCheckSeesADivergence() {
        ElementSchema schema =
                ConfigSchema.section(ConfigSchema.STATIC_CONTENT).orElseThrow().child("clientCache");
        List<Asked> asked = new ArrayList<>();
        new Recording("s", "clientCache", schema, asked).timeSpanAttribute("cacheControlMaxAge", Duration.ofDays(2));
        Asked a = asked.get(0);
        MergedElement written = new MergedElement(
                "clientCache",
                ConfigSource.DEFAULTS,
                Map.of(
                        "cacheControlMaxAge",
                        schema.attribute("cacheControlMaxAge")
                                .orElseThrow()
                                .defaultValue()
                                .orElseThrow()),
                Map.of(),
                Map.of(),
                List.of());
        assertThat(a.getter().apply(written)).isEqualTo(Duration.ofDays(1)).isNotEqualTo(a.fallback());
    }

    /** The ConfigSectionType constants declared by the built-in modules' classes. */
    private static List<ConfigSectionType<?>> sectionTypes() throws ReflectiveOperationException {
        List<ConfigSectionType<?>> types = new ArrayList<>();
        for (JavaClass javaClass : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.weir.modules")) {
            for (JavaField field : javaClass.getFields()) {
                if (!field.getRawType().isEquivalentTo(ConfigSectionType.class)) {
                    continue;
                }
                Field reflected = field.reflect();
                if (!Modifier.isStatic(reflected.getModifiers())) {
                    continue;
                }
                reflected.setAccessible(true);
                types.add((ConfigSectionType<?>) reflected.get(null));
            }
        }
        return types;
    }

    /** An element no file wrote that records the typed getters called on it and their fallbacks. */
    private record Recording(String section, String name, ElementSchema schema, List<Asked> asked)
            implements ConfigElement {

        private <T> T ask(String attribute, Function<ConfigElement, Object> getter, T fallback) {
            asked.add(new Asked(section, name, schema, attribute, getter, fallback));
            return fallback;
        }

        @Override
        public String elementName() {
            return name;
        }

        @Override
        public ConfigSource source() {
            return ConfigSource.DEFAULTS;
        }

        @Override
        public Map<String, String> attributes() {
            return new LinkedHashMap<>();
        }

        @Override
        public Optional<String> attribute(String attribute) {
            return schema.attribute(attribute).flatMap(AttributeSchema::defaultValue);
        }

        @Override
        public ConfigSource attributeSource(String attribute) {
            return ConfigSource.DEFAULTS;
        }

        @Override
        public String stringAttribute(String attribute, String fallback) {
            return ask(attribute, e -> e.stringAttribute(attribute, null), fallback);
        }

        @Override
        public boolean booleanAttribute(String attribute, boolean fallback) {
            return ask(attribute, e -> e.booleanAttribute(attribute, !fallback), fallback);
        }

        @Override
        public long longAttribute(String attribute, long fallback) {
            return ask(attribute, e -> e.longAttribute(attribute, fallback + 1), fallback);
        }

        @Override
        public <E extends Enum<E>> E enumAttribute(String attribute, Class<E> type, E fallback) {
            return ask(attribute, e -> e.enumAttribute(attribute, type, null), fallback);
        }

        @Override
        public Duration timeSpanAttribute(String attribute, Duration fallback) {
            return ask(attribute, e -> e.timeSpanAttribute(attribute, null), fallback);
        }

        @Override
        public Optional<ConfigElement> child(String child) {
            ElementSchema childSchema = schema.children().get(child);
            return childSchema == null
                    ? Optional.empty()
                    : Optional.of(new Recording(section, child, childSchema, asked));
        }

        @Override
        public List<ConfigElement> collection() {
            return List.of();
        }
    }
}
