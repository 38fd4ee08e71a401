package io.weir.it.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole path, as a module author walks it (docs/writing-a-module.md), from an empty folder
 * outside the repository: generate a project from {@code io.weir:weir-module-archetype}, build it
 * with {@code mvn package} (which runs its in-memory and loopback tests), install the JAR into a
 * configuration with {@code weir install module}, start {@code weir serve}, and check over HTTP that
 * the module ran, that {@code weir list modules} shows it with its notifications and priority, and
 * that {@code weir explain /} shows the stages it runs in.
 *
 * <p>The nested Maven runs are the outer build's own Maven ({@code maven.home}), with the local
 * repository that the pre-integration-test phase filled with this build's io.weir artifacts
 * (maven-invoker-plugin's install goal, so no install phase and nothing read from ~/.m2's io.weir
 * artifacts), and the outer local repository as a read-only file repository for the plugins; offline
 * when the outer build is offline. The {@code weir} commands run in their own JVMs from the test
 * class path.
 */
class ModuleArchetypeIT {

    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(6);
    private static final String MODULE = "GreeterModule";

    private Process server;
    private Path folder;

    @AfterEach
    void stopServerAndCleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (folder != null) {
            try (var walk = Files.walk(folder)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void generateBuildInstallServeAndInspect() throws Exception {
        folder = Files.createTempDirectory("weir-module-author-");
        Path repository = Path.of(System.getProperty("weir.it.repository")).toAbsolutePath();
        assertThat(folder.toAbsolutePath().startsWith(repository.getParent().getParent().getParent()))
                .as("the project must be generated outside the repository").isFalse();
        Path settings = writeSettings(folder, Path.of(System.getProperty("weir.it.outerRepository")));

        // 1. Generate, in an empty folder.
        run(folder, maven(settings, repository,
                "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("weir.it.archetypePlugin")
                        + ":generate",
                "-DarchetypeCatalog=internal",
                "-DarchetypeGroupId=io.weir", "-DarchetypeArtifactId=weir-module-archetype",
                "-DarchetypeVersion=" + System.getProperty("weir.it.version"),
                "-DgroupId=com.example", "-DartifactId=greeter", "-Dversion=1.0.0",
                "-Dpackage=com.example.greeter", "-DmoduleName=" + MODULE), "archetype:generate");
        Path project = folder.resolve("greeter");
        assertThat(project.resolve("pom.xml")).content().contains("<weir.version>" + System.getProperty("weir.it.version"));
        assertThat(project.resolve("src/main/java/com/example/greeter/" + MODULE + "Registration.java")).exists();
        assertThat(project.resolve("src/main/java/com/example/greeter/" + MODULE + "Factory.java")).exists();
        assertThat(project.resolve("src/main/resources/META-INF/services/io.weir.api.ModuleRegistration")).content()
                .isEqualToIgnoringWhitespace("com.example.greeter." + MODULE + "Registration");

        // 2. Build: compiles, runs the generated in-memory and loopback tests, packages the JAR.
        String build = run(project, maven(settings, repository, "package"), "mvn package");
        assertThat(build).contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0");
        Path jar = project.resolve("target/greeter.jar");
        assertThat(jar).isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getEntry("META-INF/services/io.weir.api.ModuleRegistration")).isNotNull();
            assertThat(file.getEntry("io/weir/api/ModuleRegistration.class"))
                    .as("weir-api is provided by the server, never packed").isNull();
        }

        // 3. Install into a configuration of our own (a copy of the embedded default, on a free loopback port).
        Path site = Files.createDirectories(folder.resolve("www"));
        Files.writeString(site.resolve("index.html"), "<p>hello</p>");
        Path config = folder.resolve("applicationHost.config");
        try (InputStream in = ApplicationHostConfig.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("bindingInformation=\"*:8080:\"");
            Files.writeString(config, text.replace("bindingInformation=\"*:8080:\"", "bindingInformation=\"127.0.0.1:0:\""));
        }
        String installed = run(folder, weir("install", "module", "--name", MODULE, "--image", jar.toString(),
                "--config", config.toString()), "weir install module");
        assertThat(Files.readString(config)).contains("name=\"" + MODULE + "\"").contains("greeter.jar");

        // 4. Serve, and see the module's effect over HTTP.
        List<String> serve = weir("serve", "--config", config.toString(), "--var", "WEIR_SITE_ROOT=" + site);
        server = new ProcessBuilder(serve).directory(folder.toFile()).redirectErrorStream(true).start();
        int port = awaitPort(server);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> index = client.send(HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).isEqualTo("<p>hello</p>");
        assertThat(index.headers().firstValue("X-" + MODULE)).as(installed).hasValue("/");
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/nope.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-" + MODULE)).hasValue("/nope.txt");

        // 5. weir list modules: loaded from the JAR, enabled, with its notifications and priority.
        String modules = run(folder, weir("list", "modules", "--config", config.toString(),
                "--var", "WEIR_SITE_ROOT=" + site), "weir list modules");
        String row = modules.lines().filter(l -> l.startsWith(MODULE)).findFirst().orElseThrow(
                () -> new AssertionError("no row for " + MODULE + " in:\n" + modules));
        assertThat(row).contains("yes").contains("greeter.jar").contains("BEGIN_REQUEST (HIGH)").contains("SEND_RESPONSE");

        // 6. weir explain /: the stages it runs in, with its priority.
        String explain = run(folder, weir("explain", "/", "--config", config.toString(),
                "--var", "WEIR_SITE_ROOT=" + site), "weir explain /");
        Map<String, List<String>> stages = stages(explain);
        assertThat(stages.get("BEGIN_REQUEST")).as(explain).anySatisfy(l -> assertThat(l).contains(MODULE).contains("HIGH"));
        assertThat(stages.get("SEND_RESPONSE")).as(explain).anySatisfy(l -> assertThat(l).contains(MODULE));
        assertThat(stages.get("AUTHENTICATE_REQUEST")).as(explain).noneSatisfy(l -> assertThat(l).contains(MODULE));
    }

    /** Stage name → its module lines, from explain's "Pipeline, in run order" part. */
    private static Map<String, List<String>> stages(String explain) {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        boolean pipeline = false;
        List<String> current = null;
        for (String line : explain.lines().toList()) {
            if (line.startsWith("Pipeline, in run order")) {
                pipeline = true;
            } else if (pipeline && line.matches("  [A-Z_]+.*")) {
                current = new ArrayList<>();
                stages.put(line.trim().split("\\s+")[0], current);
            } else if (pipeline && current != null && line.matches("    \\d+\\. .*")) {
                current.add(line.trim());
            } else if (pipeline && line.isBlank()) {
                pipeline = false;
            }
        }
        return stages;
    }

    private static Path writeSettings(Path folder, Path outerRepository) throws IOException {
        String url = outerRepository.toAbsolutePath().toUri().toString();
        String repository = """
                <id>weir-build-local</id><url>%s</url>
                <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                <snapshots><enabled>false</enabled></snapshots>""".formatted(url);
        Path settings = folder.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <profiles>
                    <profile>
                      <id>weir-build-local</id>
                      <repositories><repository>%s</repository></repositories>
                      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>weir-build-local</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository));
        return settings;
    }

    private static List<String> maven(Path settings, Path repository, String... goals) {
        Path home = Path.of(System.getProperty("weir.it.mavenHome"));
        boolean windows = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("win");
        List<String> command = new ArrayList<>(List.of(home.resolve(windows ? "bin/mvn.cmd": "bin/mvn").toString(),
                "-B", "-ntp", "-Dstyle.color=never", "-s", settings.toString(), "-Dmaven.repo.local=" + repository));
        if (System.getProperty("weir.it.offline", "").equals("offline=true")) {
            command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
        }
        command.addAll(List.of(goals));
        return command;
    }

    private static List<String> weir(String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "io.weir.cli.WeirCommand"));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to its end; returns its output, fails with it on a non-zero exit. */
    private static String run(Path directory, List<String> command, String what) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path log = Files.createTempFile("weir-it-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(MAVEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish within " + MAVEN_TIMEOUT + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        Files.delete(log);
        if (process.exitValue() != 0) {
            throw new AssertionError(what + " exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    /** Reads the server's start-up report until it names the address it listens on. */
    private static int awaitPort(Process process) throws IOException {
        Pattern listening = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
        StringBuilder seen = new StringBuilder();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        reader.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the server stopped
                    }
                }, "weir-serve-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("weir serve did not report a listening address:\n" + seen);
    }
}
