package io.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command lines that Weir itself shows a user (in the embedded configuration's comments and in
 * the examples of every command's help) are accepted by the command line as written, and a
 * {@code --var NAME=} in an example names a variable the configuration uses.
 */
class CommandExamplesTest {

    private static final Pattern QUOTED_WEIR = Pattern.compile("\"(weir [^\"]+)\"");

    /** Parses a command line without running it; a usage error fails with the line. */
    private static void assertParses(String commandLine, String where) {
        List<String> words = words(commandLine);
        assertThat(words.remove(0)).isEqualTo("weir");
        try {
            WeirCommand.commandLine().parseArgs(words.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + ": '" + commandLine + "' is refused: " + e.getMessage(), e);
        }
    }

    /** Splits a command line into words as a POSIX shell would for plain words and quoted strings. */
    static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : commandLine.trim().toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void everyWeirCommandInTheEmbeddedConfigurationsCommentsIsAccepted() {
        String text = new String(ConfigFiles.embeddedDefault(), StandardCharsets.UTF_8);
        List<String> commands = new ArrayList<>();
        Matcher comment = Pattern.compile("(?s)<!--(.*?)-->").matcher(text);
        while (comment.find()) {
            Matcher m = QUOTED_WEIR.matcher(comment.group(1).replaceAll("\\s+", " "));
            while (m.find()) {
                commands.add(m.group(1));
            }
        }
        assertThat(commands).as("the comments name weir commands").isNotEmpty();
        for (String command : commands) {
            assertParses(command, "the embedded applicationHost.config's comments");
        }
    }

    @Test
    void everyExampleInEveryCommandsHelpIsAcceptedAndNamesVariablesTheConfigurationUses() {
        String embedded = new String(ConfigFiles.embeddedDefault(), StandardCharsets.UTF_8);
        List<CommandLine> all = new ArrayList<>();
        collect(WeirCommand.commandLine(), all);
        int examples = 0;
        for (CommandLine command : all) {
            // an example is a footer line starting with "weir", plus the more indented lines that continue it
            List<String> lines = new ArrayList<>();
            for (String line : command.getCommandSpec().usageMessage().footer()) {
                if (line.trim().startsWith("weir ")) {
                    lines.add(line.trim());
                } else if (!lines.isEmpty()
                        && line.startsWith("    ")
                        && !line.isBlank()
                        && lines.get(lines.size() - 1) != null) {
                    lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " " + line.trim());
                } else {
                    lines.add(null);
                }
            }
            for (String trimmed : lines) {
                if (trimmed == null) {
                    continue;
                }
                examples++;
                assertParses(trimmed, "the help of 'weir " + command.getCommandName() + "'");
                Matcher var = Pattern.compile("--var (\\w+)=").matcher(trimmed);
                while (var.find()) {
                    assertThat(embedded)
                            .as(
                                    "'%s' in the help of %s names a variable the embedded configuration uses",
                                    trimmed, command.getCommandName())
                            .contains("%" + var.group(1) + "%");
                }
            }
        }
        assertThat(examples).as("commands show examples").isGreaterThan(2);
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> {
            if (!into.contains(sub)) {
                collect(sub, into);
            }
        });
    }
}
