package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir test rewrite URL} and the URL Rewrite part of {@code weir explain URL}, on the
 * embedded default serving a folder whose web.config holds a redirect, a front controller and a
 * rule of a sub-folder.
 */
class TestRewriteCommandTest {

    @TempDir
    Path root;

    @BeforeEach
    void site() throws IOException {
        Files.createDirectories(root.resolve("shop"));
        Files.writeString(root.resolve("index.php.txt"), "front");
        Files.writeString(root.resolve("real.txt"), "real");
        Files.writeString(root.resolve("web.config"), """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Canonical host" stopProcessing="true">
                    <match url="(.*)" />
                    <conditions><add input="{HTTP_HOST}" pattern="^example\\.com$" /></conditions>
                    <action type="Redirect" url="https://www.example.com/{R:1}" />
                  </rule>
                  <rule name="Front controller" stopProcessing="true">
                    <match url="^(.*)$" />
                    <conditions>
                      <add input="{REQUEST_FILENAME}" matchType="IsFile" negate="true" />
                      <add input="{REQUEST_FILENAME}" matchType="IsDirectory" negate="true" />
                      <add input="{URL}" pattern="^/shop/" negate="true" />
                    </conditions>
                    <action type="Rewrite" url="index.php.txt?q={R:1}" />
                  </rule>
                </rules></rewrite></system.webServer></configuration>
                """);
        Files.writeString(root.resolve("shop/web.config"), """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Cart"><match url="^cart$" /><action type="CustomResponse" statusCode="403" statusReason="Closed" /></rule>
                </rules></rewrite></system.webServer></configuration>
                """);
    }

    @Test
    void printsEachRuleItsCapturesAndTheUrlTheRequestEndsOn() {
        CommandRun run = CommandRun.of("test", "rewrite", "/users/7?x=1", "--var", "WEIR_SITE_ROOT=" + root);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("distributed rule \"Canonical host\" on \"users/7\": no match")
                .contains("distributed rule \"Front controller\" on \"users/7\": applied {R:0}=\"users/7\","
                        + " {R:1}=\"users/7\" -> REWRITE")
                .contains("Rewrite: the request continues for /index.php.txt?q=users/7&x=1");
    }

    @Test
    void headersAreServerVariablesAndAFileIsNotRewritten() {
        CommandRun redirect = CommandRun.of(
                "test", "rewrite", "/a", "--header", "Host: example.com", "--var", "WEIR_SITE_ROOT=" + root);
        CommandRun file = CommandRun.of("test", "rewrite", "/real.txt", "--var", "WEIR_SITE_ROOT=" + root);

        assertThat(redirect.out()).contains("Redirect: 301 to https://www.example.com/a");
        assertThat(file.out()).contains("No rewrite: the request continues for /real.txt");
    }

    @Test
    void explainShowsTheRulesThenExplainsTheRewrittenUrl() {
        CommandRun rewritten = CommandRun.of("explain", "/users/7", "--var", "WEIR_SITE_ROOT=" + root);
        CommandRun refused = CommandRun.of("explain", "/shop/cart", "--var", "WEIR_SITE_ROOT=" + root);

        assertThat(rewritten.exitCode()).as(rewritten.err()).isZero();
        assertThat(rewritten.out())
                .contains("URL Rewrite (rules evaluated for /users/7):")
                .contains("Physical path: " + root.toAbsolutePath().normalize().resolve("index.php.txt") + " (file)");
        assertThat(refused.out())
                .contains("distributed rule \"Cart\" on \"cart\": applied")
                .contains("Custom response: 403.0 Closed")
                .doesNotContain("Physical path:");
    }
}
