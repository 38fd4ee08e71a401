package io.weir.config;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real IIS files used as test inputs (IIS Express's applicationhost.config, IIS_schema.xml, public
 * web.config files). They are not part of this repository: they are looked up in a folder named
 * {@code shared/compat} beside the repository's folder. When that folder is absent a test that
 * needs one is skipped with an assumption naming the folder, except when the environment variable
 * {@code CI} is {@code true}, where it fails so that CI never silently loses the test.
 *
 * <p>Shared through weir-config's test-jar with the tests of weir-cli and weir-it.
 */
public final class CompatInputs {

    private CompatInputs() {}

    /** @return the folder the inputs are read from (it may not exist) */
    public static Path folder() {
        // The tests run with the Maven module's folder as working directory: module → repository → sibling.
        return Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("compat");
    }

    /**
     * Resolves an input file, skipping the calling test when the inputs' folder is absent.
     *
     * @param relative the file's path under the inputs' folder, such as {@code iis-express/IIS_schema.xml}
     * @return the file, which exists
     */
    public static Path file(String relative) {
        Path folder = folder();
        Path file = folder.resolve(relative);
        if (Files.isRegularFile(file)) {
            return file;
        }
        String reason = "the compatibility input " + file + " is missing (expected the folder " + folder
                + " beside the repository)";
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + "; CI=true makes a missing input a failure");
        }
        return Assumptions.abort(reason + "; skipped");
    }
}
