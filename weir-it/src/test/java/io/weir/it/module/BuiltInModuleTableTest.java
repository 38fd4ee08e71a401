package io.weir.it.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.ModuleRegistration;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.core.internal.module.BuiltInModules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one table of built-in modules (weir-modules' service file, with each module's name and IIS
 * image) and the embedded default configuration list the same modules, and every class of the
 * table is a registration the server can load.
 */
class BuiltInModuleTableTest {

    private final List<BuiltInModules.Entry> table =
            BuiltInModules.read(getClass().getClassLoader());
    private final ApplicationHostConfig embedded =
            ApplicationHostConfig.embeddedDefault(Map.of("WEIR_SITE_ROOT", System.getProperty("java.io.tmpdir")));

    @Test
    void theEmbeddedDefaultRegistersExactlyTheTableInItsOrder() {
        assertThat(table).hasSizeGreaterThanOrEqualTo(13);
        List<String> fromTable =
                table.stream().map(e -> e.name() + "=" + e.registrationClass()).toList();
        List<String> fromDefault = embedded.globalModules().stream()
                .map(e -> e.name() + "=" + e.type().orElse("(image " + e.image().orElse("?") + ")"))
                .toList();
        assertThat(fromDefault).containsExactlyElementsOf(fromTable);
    }

    @Test
    void theEmbeddedDefaultEnablesEveryBuiltInModule() {
        List<String> enabled =
                embedded.effectiveConfig("", "/").section("system.webServer/modules").collection().stream()
                        .map(add -> add.stringAttribute("name", ""))
                        .toList();
        assertThat(enabled)
                .containsAll(table.stream().map(BuiltInModules.Entry::name).toList());
    }

    @Test
    void everyEntryNamesALoadableRegistrationAndADistinctIisImage() throws Exception {
        for (BuiltInModules.Entry e : table) {
            assertThat(ModuleRegistration.class.isAssignableFrom(Class.forName(e.registrationClass())))
                    .as(e.registrationClass())
                    .isTrue();
            assertThat(e.image()).endsWith(".dll");
        }
        assertThat(table.stream().map(BuiltInModules.Entry::image).distinct().count())
                .isEqualTo(table.size());
        assertThat(embedded.globalModules().stream()
                        .map(GlobalModuleEntry::name)
                        .distinct()
                        .count())
                .isEqualTo(embedded.globalModules().size());
    }
}
