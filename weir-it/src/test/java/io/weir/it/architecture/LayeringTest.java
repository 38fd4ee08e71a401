package io.weir.it.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the Maven modules, checked on their compiled classes: weir-api depends on the JDK
 * only; built-in modules and examples on weir-api only (plus their libraries); Netty appears only
 * in the transport (weir-server); the command line, the built-in modules and the examples use none
 * of the engine's internal packages ({@code io.weir.core.internal..}); the packages of weir-core
 * form no cycle.
 */
class LayeringTest {

    private static JavaClasses weir;

    @BeforeAll
    static void importClasses() {
        weir = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.weir");
    }

    @Test
    void everyModuleOfTheServerIsOnTheClasspathOfTheCheck() {
        for (String pkg : new String[] {
            "io.weir.api",
            "io.weir.config",
            "io.weir.core",
            "io.weir.server",
            "io.weir.cli",
            "io.weir.modules",
            "io.weir.examples",
            "io.weir.testkit"
        }) {
            assertThat(weir.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s imported", pkg)
                    .isTrue();
        }
    }

    @Test
    void weirApiDependsOnTheJdkOnly() {
        classes()
                .that()
                .resideInAPackage("io.weir.api..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.weir.api..", "java..", "javax.annotation..")
                .check(weir);
    }

    @Test
    void builtInModulesAndExamplesUseTheApiOnly() {
        noClasses()
                .that()
                .resideInAnyPackage("io.weir.modules..", "io.weir.examples..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.weir.config..",
                        "io.weir.core..",
                        "io.weir.server..",
                        "io.weir.cli..",
                        "io.weir.testkit..",
                        "io.netty..")
                .check(weir);
    }

    @Test
    void nettyAppearsOnlyInTheTransport() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.weir.server..", "io.weir.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.netty..")
                .check(weir);
    }

    @Test
    void toolsModulesAndExamplesUseNoInternalTypeOfTheEngine() {
        noClasses()
                .that()
                .resideInAnyPackage("io.weir.cli..", "io.weir.modules..", "io.weir.examples..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.weir.core.internal..")
                .check(weir);
    }

    @Test
    void thePackagesOfWeirCoreFormNoCycle() {
        slices().matching("io.weir.core.(**)").should().beFreeOfCycles().check(weir);
    }
}
