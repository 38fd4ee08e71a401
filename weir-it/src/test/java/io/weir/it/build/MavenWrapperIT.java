package io.weir.it.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./mvnw} runs Maven without the JDK's {@code sun.misc.Unsafe} warnings
 * (printed by Maven's own libraries on JDK 23 and newer) and with the JDK it chose.
 */
class MavenWrapperIT {

    @TempDir
    Path project;

    @Test
    void aBuildPrintsNoSunMiscUnsafeWarning() throws Exception {
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>empty</artifactId><version>1</version><packaging>pom</packaging>
                </project>
                """);
        Path wrapper = Path.of("").toAbsolutePath().getParent().resolve("mvnw");
        ProcessBuilder builder = new ProcessBuilder(
                        "sh",
                        wrapper.toString(),
                        "-B",
                        "-o",
                        "-f",
                        project.resolve("pom.xml").toString(),
                        "validate")
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_OPTS");
        Path log = project.resolve("build.log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("mvnw finished").isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("BUILD SUCCESS")
                .doesNotContain("sun.misc.Unsafe")
                .doesNotContain("WARNING: A terminally");
    }
}
