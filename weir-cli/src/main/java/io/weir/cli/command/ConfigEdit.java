package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.ConfigDocument;
import io.weir.cli.edit.ConfigFileText;
import io.weir.config.ApplicationHostConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every editing command runs, so that on any failure nothing is written:
 * <ol>
 *   <li>the file is read and loaded as the server would load it; a file Weir refuses is reported
 *       ({@code weir: FILE:LINE:COLUMN: reason}, exit 2) and not edited;</li>
 *   <li>the command edits the text ({@link ConfigDocument}: only the characters it changes);</li>
 *   <li>the edited text is loaded again ({@link ApplicationHostConfig#parse}) and checked by the
 *       command (for example by loading a module); any refusal is reported with the reason and
 *       exit 1;</li>
 *   <li>the bytes (same BOM, encoding and line endings) go to a temporary file in the same folder,
 *       which is moved over the file, unless the file changed since it was read.</li>
 * </ol>
 */
final class ConfigEdit {

    /** Exit status of an edit that was refused (the file is left as it was). */
    static final int REFUSED = 1;

    /** A refused edit: the message says why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The edit a command makes. */
    interface Edit {
        /**
         * Edits the text.
         *
         * @param before the file as loaded before the edit
         * @param text   the text to edit
         * @return the lines to print when the edit is written
         * @throws Refused when the edit cannot be made
         */
        List<String> apply(ApplicationHostConfig before, ApplicationHostText text) throws Refused;

        /**
         * Checks the edited configuration before it is written.
         *
         * @param after the edited file as the server would load it
         * @throws Refused when the result must not be written
         */
        default void verify(ApplicationHostConfig after) throws Refused {}
    }

    private ConfigEdit() {}

    /**
     * Runs an edit.
     *
     * @param spec    the command, for its output streams
     * @param options {@code --config} and {@code --var}
     * @param edit    the edit
     * @return the exit status: 0, {@link ConfigOptions#CONFIG_ERROR} for a file refused as it is,
     *         {@link #REFUSED} for a refused edit or a file that cannot be read or written
     */
    static int run(CommandSpec spec, EditOptions options, Edit edit) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = options.file();
        err.println("Configuration: " + options.origin());
        err.flush();
        String label = file.toString();
        Path folder = file.toAbsolutePath().getParent();
        Map<String, String> variables = options.variables();
        try {
            ConfigFileText original = ConfigFileText.read(file);
            ApplicationHostConfig before;
            try {
                before = load(label, original.bytes(), folder, variables);
            } catch (ConfigException e) {
                err.println("weir: " + e.source() + ": " + e.reason());
                err.println("weir: " + label + " is left as it is; fix it first");
                err.flush();
                return ConfigOptions.CONFIG_ERROR;
            }
            ConfigDocument document;
            try {
                document = new ConfigDocument(original.text(), original.lineEnd());
            } catch (IllegalArgumentException e) {
                throw new Refused("cannot follow the structure of " + label + " to edit it: " + e.getMessage());
            }
            List<String> messages = edit.apply(before, new ApplicationHostText(document));
            String edited = document.text();
            if (!edited.equals(original.text())) {
                byte[] bytes = original.encode(edited);
                ApplicationHostConfig after;
                try {
                    after = load(label, bytes, folder, variables);
                } catch (ConfigException e) {
                    throw new Refused("the edit is refused: with it, " + label + " would not load: line "
                            + e.source().line() + ", column " + e.source().column() + ": " + e.reason());
                }
                edit.verify(after);
                if (!Arrays.equals(Files.readAllBytes(file), original.bytes())) {
                    throw new Refused(label + " changed while it was being edited; nothing was written, run the"
                            + " command again");
                }
                original.replace(bytes);
            }
            messages.forEach(out::println);
            out.flush();
            return 0;
        } catch (Refused e) {
            err.println("weir: " + e.getMessage());
            err.println("weir: " + label + " was not changed");
            err.flush();
            return REFUSED;
        } catch (IOException e) {
            err.println("weir: " + e.getMessage());
            err.println("weir: " + label + " was not changed");
            err.flush();
            return REFUSED;
        }
    }

    private static ApplicationHostConfig load(String label, byte[] bytes, Path folder, Map<String, String> variables) {
        return ApplicationHostConfig.parse(label, new ByteArrayInputStream(bytes), folder, variables);
    }
}
