package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import io.weir.cli.ConfigFiles;
import io.weir.cli.LineDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir start site}, {@code weir stop site}, {@code weir set site --bindings} and the
 * collection syntax of {@code weir set config} ({@code /+[…]}): exact diffs, and refusals that
 * leave the file byte-identical.
 */
class SiteStateAndCollectionCommandsTest {

    @TempDir
    Path temp;

    private Path config;
    private byte[] original;

    @BeforeEach
    void embeddedCopy() {
        original = ConfigFiles.embeddedDefault();
        config = ConfigFiles.write(temp, original);
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private List<String> diff() throws IOException {
        return LineDiff.of(new String(original, StandardCharsets.UTF_8), Files.readString(config));
    }

    private void assertUnchanged(CommandRun run) {
        assertThat(ConfigFiles.bytes(config)).as("unchanged after: " + run).isEqualTo(original);
    }

    @Test
    void stopAndStartWriteServerAutoStart() throws IOException {
        CommandRun stop = run("stop", "site", "default web site");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("SITE \"Default Web Site\" stopped (serverAutoStart=false)");
        assertThat(diff()).anyMatch(l -> l.startsWith("+") && l.contains("serverAutoStart=\"false\""));

        CommandRun again = run("stop", "site", "Default Web Site");
        assertThat(again.out()).contains("is already stopped");

        CommandRun start = run("start", "site", "Default Web Site");
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(start.out()).contains("SITE \"Default Web Site\" started (serverAutoStart=true)");
        // the embedded default writes serverAutoStart="true": starting the site restores it byte for byte
        assertUnchanged(start);
    }

    @Test
    void anUnknownSiteIsRefused() {
        CommandRun run = run("stop", "site", "Nowhere");
        assertThat(run.exitCode()).isEqualTo(ConfigEdit.REFUSED);
        assertThat(run.err()).contains("no site named 'Nowhere'");
        assertUnchanged(run);
    }

    @Test
    void setSiteReplacesTheBindingsInOrder() throws IOException {
        CommandRun run = run("set", "site", "Default Web Site", "--bindings", "http/*:8099:,http/127.0.0.1:8100:x");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> diff = diff();
        assertThat(diff.stream().filter(l -> l.startsWith("+")).toList())
                .containsExactly(
                        "+          <binding protocol=\"http\" bindingInformation=\"*:8099:\" />",
                        "+          <binding protocol=\"http\" bindingInformation=\"127.0.0.1:8100:x\" />");
        assertThat(diff.stream().filter(l -> l.startsWith("-"))).hasSize(1);
    }

    @Test
    void aMimeTypeAndADefaultDocumentAreAddedAsAppcmdAddsThem() throws IOException {
        CommandRun mime = run("set", "config", "staticContent", "/+[fileExtension='.foo',mimeType='text/x-foo']");
        assertThat(mime.exitCode()).as(mime.err()).isZero();
        assertThat(mime.out()).contains("added [fileExtension='.foo',mimeType='text/x-foo']");
        CommandRun doc = run(
                "set", "config", "defaultDocument", "--location", "Default Web Site", "/+files.[value='it''s.html']");
        assertThat(doc.exitCode()).as(doc.err()).isZero();
        assertThat(diff())
                .contains(
                        "+      <mimeMap fileExtension=\".foo\" mimeType=\"text/x-foo\" />",
                        "+  <location path=\"Default Web Site\">",
                        "+          <add value=\"it's.html\" />");
    }

    @Test
    void aDuplicateItemIsRefusedAndNothingIsWritten() {
        CommandRun run = run("set", "config", "staticContent", "/+[fileExtension='.html',mimeType='text/plain']");
        assertThat(run.exitCode()).isEqualTo(ConfigEdit.REFUSED);
        assertThat(run.err()).contains("duplicate collection entry");
        assertUnchanged(run);
    }

    @Test
    void aSectionWithoutACollectionIsAUsageError() {
        CommandRun run = run("set", "config", "directoryBrowse", "/+[enabled='true']");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("holds no collection");
        assertUnchanged(run);
    }
}
