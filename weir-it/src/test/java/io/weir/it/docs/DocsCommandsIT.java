package io.weir.it.docs;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the commands of the documentation: every {@code ```sh} block of README.md and of every
 * {@code .md} file under docs/, as docs/contributing.md describes ("Commands in the documentation
 * are tests"). One dynamic test per block, named {@code FILE:LINE}; a failure names the file, the
 * line and the command, with its output.
 *
 * <p>Each file runs in a fresh copy of the repository (without {@code .git/}, and of each
 * {@code target/} only the JARs the build made), its blocks in order, each command from the copy's
 * root, with {@code ./weir} running this build's class path ({@code WEIR_CLASSPATH}) instead of
 * building, {@code HOME} and Weir's data folder inside the copy ({@code ~/.local/bin} on the
 * PATH), and every port the file names replaced by a free one.
 */
class DocsCommandsIT {

    private static final Pattern DIRECTIVE = Pattern.compile("<!--\\s*docs-test:\\s*(\\S+)\\s*(.*?)\\s*-->");
    private static final Pattern PORT = Pattern.compile(
            "(--port |--https-port |weir\\.admin\\.port=|localhost:|127\\.0\\.0\\.1:|\"\\*:)(\\d{2,5})\\b");
    private static final Pattern SERVE = Pattern.compile("(^|\\s)(\\./weir|weir) serve\\b");
    private static final Pattern MAVEN = Pattern.compile("(^|[\\s;&|(])(\\./mvnw|mvn)\\s");
    private static final long COMMAND_SECONDS = 120;
    private static final long SERVER_START_SECONDS = 90;
    private static final String SERVING = "Weir is serving";

    /** A fenced {@code sh} block: where it starts, its directive, and its commands. */
    record Block(Path file, String relative, int line, String mode, String reason, List<Command> commands) {
        String name() {
            return relative + ":" + line;
        }
    }

    /** One logical command line (continuation lines joined) and the line it starts on. */
    record Command(int line, String text) {}

    static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }

    @TestFactory
    Stream<DynamicNode> everyShellBlockOfTheDocumentationRuns() throws IOException {
        Path repository = repository();
        List<Path> files = new ArrayList<>();
        files.add(repository.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(repository.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<DynamicNode> containers = new ArrayList<>();
        for (Path file : files) {
            List<Block> blocks =
                    blocks(file, repository.relativize(file).toString().replace('\\', '/'));
            if (blocks.isEmpty()) {
                continue;
            }
            FileRun run = new FileRun();
            List<DynamicNode> tests = new ArrayList<>();
            for (Block block : blocks) {
                tests.add(DynamicTest.dynamicTest(block.name(), () -> run.run(block)));
            }
            tests.add(DynamicTest.dynamicTest(blocks.get(0).relative() + ": clean up", run::close));
            containers.add(DynamicContainer.dynamicContainer(blocks.get(0).relative(), tests));
        }
        return containers.stream();
    }

    /**
     * Every relative link of the documentation ({@code [text](path)} or {@code [text](path#anchor)})
     * names a file or folder of the repository, and no page points at the {@code shared} folder that
     * only Weir's CI has beside its checkout (outside the blocks marked {@code needs-shared}).
     */
    @Test
    void everyRelativeLinkNamesAFileOfTheRepository() throws IOException {
        Path repository = repository();
        List<Path> files = new ArrayList<>();
        files.add(repository.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(repository.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        Pattern link = Pattern.compile("\\[[^\\]]*\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        Pattern sharedPath = Pattern.compile("(?<![./\\w])shared/(reference|design|style)/");
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = link.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.contains("://") || target.startsWith("mailto:")) {
                        continue;
                    }
                    if (!Files.exists(file.getParent().resolve(target).normalize())) {
                        broken.add(repository.relativize(file) + ":" + (i + 1) + ": link to " + target
                                + ", which does not exist");
                    }
                }
                if (sharedPath.matcher(lines.get(i)).find()) {
                    broken.add(
                            repository.relativize(file) + ":" + (i + 1) + ": points into the 'shared' folder, which a"
                                    + " clone does not have: " + lines.get(i).strip());
                }
            }
        }
        if (!broken.isEmpty()) {
            fail(String.join("\n", broken));
        }
    }

    /** Reads the {@code ```sh} blocks of a Markdown file. */
    static List<Block> blocks(Path file, String relative) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```sh")) {
                continue;
            }
            String mode = "run";
            String reason = "";
            for (int j = i - 1; j >= 0; j--) {
                if (lines.get(j).isBlank()) {
                    continue;
                }
                Matcher m = DIRECTIVE.matcher(lines.get(j));
                if (m.find()) {
                    mode = m.group(1);
                    reason = m.group(2);
                }
                break;
            }
            List<Command> commands = new ArrayList<>();
            StringBuilder current = null;
            int start = 0;
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
                String line = lines.get(j);
                if (current == null) {
                    if (line.isBlank() || line.strip().startsWith("#")) {
                        continue;
                    }
                    current = new StringBuilder();
                    start = j + 1;
                }
                if (line.endsWith("\\")) {
                    current.append(line, 0, line.length() - 1).append(' ');
                } else {
                    current.append(line);
                    commands.add(new Command(start, current.toString().strip()));
                    current = null;
                }
            }
            if (current != null) {
                commands.add(new Command(start, current.toString().strip()));
            }
            blocks.add(new Block(file, relative, i + 1, mode, reason, commands));
            i = j;
        }
        return blocks;
    }

    /** The state one file's blocks share: the copy of the repository and the ports. */
    static final class FileRun {
        private Path copy;
        private final Map<String, Integer> ports = new HashMap<>();

        void run(Block block) throws Exception {
            if (block.mode().equals("skip")) {
                if (block.reason().isBlank()) {
                    fail(block.name() + ": <!-- docs-test: skip --> needs a reason");
                }
                abort(block.name() + " is not run: " + block.reason());
            }
            List<String> words = new ArrayList<>(
                    List.of((block.mode() + " " + block.reason()).trim().split("\\s+")));
            words.remove("run");
            boolean server = words.remove("server");
            if (words.remove("needs-shared")) {
                Path shared = repository().resolveSibling("shared");
                if (!Files.isDirectory(shared)) {
                    String why = block.name() + " needs the folder " + shared + " beside the repository";
                    if ("true".equals(System.getenv("CI"))) {
                        fail(why + "; CI=true makes its absence a failure");
                    }
                    abort(why + "; skipped");
                }
            }
            if (!words.isEmpty()) {
                fail(block.name() + ": unknown words " + words + " in <!-- docs-test: " + block.mode() + " "
                        + block.reason() + " -->; use server, needs-shared, or skip REASON (docs/contributing.md)");
            }
            runCommands(block, server);
        }

        private void runCommands(Block block, boolean server) throws Exception {
            for (Command command : block.commands()) {
                if (MAVEN.matcher(command.text()).find()) {
                    fail(block.relative() + ":" + command.line() + ": `" + command.text() + "` runs Maven inside the"
                            + " build; put <!-- docs-test: skip REASON --> before the block (docs/contributing.md)");
                }
            }
            Path root = copy();
            Process background = null;
            StringBuffer backgroundOutput = new StringBuffer();
            try {
                for (int i = 0; i < block.commands().size(); i++) {
                    Command command = block.commands().get(i);
                    String text = withPorts(command.text());
                    if (server && i == 0) {
                        background = start(root, text, backgroundOutput);
                        awaitServing(block, command, text, background, backgroundOutput);
                    } else {
                        runToEnd(block, command, text, root);
                    }
                }
            } finally {
                if (background != null) {
                    background.destroy();
                    if (!background.waitFor(30, TimeUnit.SECONDS)) {
                        background.destroyForcibly();
                        background.waitFor(10, TimeUnit.SECONDS);
                        fail(block.name() + ": the server did not stop within 30 s of SIGTERM:\n" + backgroundOutput);
                    }
                }
            }
        }

        private void awaitServing(Block block, Command command, String text, Process process, StringBuffer output)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SERVER_START_SECONDS);
            while (System.nanoTime() < deadline) {
                if (output.indexOf(SERVING) >= 0) {
                    return;
                }
                if (!process.isAlive()) {
                    fail(block.relative() + ":" + command.line() + ": `" + text + "` exited with " + process.exitValue()
                            + " instead of serving:\n" + output);
                }
                Thread.sleep(50);
            }
            fail(block.relative() + ":" + command.line() + ": `" + text + "` did not print \"" + SERVING + "\" within "
                    + SERVER_START_SECONDS + " s:\n" + output);
        }

        private void runToEnd(Block block, Command command, String text, Path root) throws Exception {
            Path log = Files.createTempFile("docs-command-", ".log");
            try {
                ProcessBuilder builder =
                        shell(root, text).redirectErrorStream(true).redirectOutput(log.toFile());
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    fail(block.relative() + ":" + command.line() + ": `" + text + "` did not finish within "
                            + COMMAND_SECONDS + " s (a command that starts a server needs <!-- docs-test: server -->"
                            + " before its block):\n" + Files.readString(log));
                }
                if (process.exitValue() != 0) {
                    fail(block.relative() + ":" + command.line() + ": `" + text + "` exited with " + process.exitValue()
                            + ":\n" + Files.readString(log));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        }

        private Process start(Path root, String text, StringBuffer output) throws IOException {
            // exec replaces the shell, so that SIGTERM reaches the server; env keeps a leading NAME=value
            String exec = text.matches("(?s)[A-Za-z_][A-Za-z0-9_]*=.*") ? "exec env " : "exec ";
            Process process = shell(root, exec + text).redirectErrorStream(true).start();
            process.getOutputStream().close();
            Thread drain = new Thread(
                    () -> {
                        try (var in = process.getInputStream()) {
                            byte[] buffer = new byte[8192];
                            int n;
                            while ((n = in.read(buffer)) >= 0) {
                                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                            }
                        } catch (IOException ignored) {
                            // the process ended
                        }
                    },
                    "docs-server-output");
            drain.setDaemon(true);
            drain.start();
            return process;
        }

        private ProcessBuilder shell(Path root, String text) {
            ProcessBuilder builder =
                    new ProcessBuilder("bash", "-c", "set -eo pipefail; " + text).directory(root.toFile());
            Map<String, String> env = builder.environment();
            env.put(
                    "WEIR_CLASSPATH",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("WEIR_DATA_HOME", root.resolve(".weir-data").toString());
            // the copy's own home: ~ in a command stays inside it, and ~/.local/bin (where
            // ./weir install-cli links weir) is on the PATH, as that command asks of a user
            Path home = root.resolve(".home");
            env.put("HOME", home.toString());
            env.put("PATH", home.resolve(".local/bin") + File.pathSeparator + env.getOrDefault("PATH", ""));
            env.remove("XDG_BIN_HOME");
            env.remove("XDG_STATE_HOME");
            env.remove("WEIR_JAVA_OPTS");
            return builder;
        }

        /** Replaces every port the file names with a free one (the same one each time), and gives a bare serve one. */
        private String withPorts(String text) throws IOException {
            Matcher m = PORT.matcher(text);
            StringBuilder replaced = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(replaced, Matcher.quoteReplacement(m.group(1) + port(m.group(2))));
            }
            m.appendTail(replaced);
            String result = replaced.toString();
            Matcher serve = SERVE.matcher(result);
            if (serve.find() && !result.contains("--port")) {
                result = result.substring(0, serve.end()) + " --port " + port("8080") + result.substring(serve.end());
            }
            return result;
        }

        private int port(String named) throws IOException {
            Integer port = ports.get(named);
            if (port == null) {
                try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = probe.getLocalPort();
                }
                ports.put(named, port);
            }
            return port;
        }

        private Path copy() throws IOException {
            if (copy == null) {
                Path parent = Files.createTempDirectory("weir-docs-");
                copy = Files.createDirectories(parent.resolve("weir"));
                Path repository = repository();
                Path shared = repository.resolveSibling("shared");
                if (Files.isDirectory(shared)) {
                    // ../shared resolves from the copy as from the repository
                    Files.createSymbolicLink(parent.resolve("shared"), shared.toAbsolutePath());
                }
                Files.walkFileTree(repository, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        String name = dir.getFileName() == null
                                ? ""
                                : dir.getFileName().toString();
                        if (!dir.equals(repository) && name.equals(".git")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (!dir.equals(repository) && name.equals("target")) {
                            // only the JARs the build made (as if the skipped Maven commands had run)
                            Path into = Files.createDirectories(
                                    copy.resolve(repository.relativize(dir).toString()));
                            try (Stream<Path> jars = Files.list(dir)) {
                                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar"))
                                        .toList()) {
                                    Files.copy(
                                            jar, into.resolve(jar.getFileName().toString()));
                                }
                            }
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        Files.createDirectories(
                                copy.resolve(repository.relativize(dir).toString()));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        if (attrs.isRegularFile()) {
                            Files.copy(
                                    file,
                                    copy.resolve(repository.relativize(file).toString()),
                                    StandardCopyOption.COPY_ATTRIBUTES);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
            return copy;
        }

        void close() throws IOException {
            if (copy != null) {
                try (Stream<Path> walk = Files.walk(copy.getParent())) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                copy = null;
            }
        }
    }
}
