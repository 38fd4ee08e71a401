package io.weir.cli.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.cli.ConfigFiles;
import io.weir.cli.LineDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing a file's text keeps its bytes: encoding, BOM, line endings. */
class ConfigFileTextTest {

    @TempDir
    Path temp;

    @Test
    void theEmbeddedDefaultRoundTripsByteForByteAndScans() throws IOException {
        Path file = ConfigFiles.write(temp, ConfigFiles.embeddedDefault());
        ConfigFileText text = ConfigFileText.read(file);
        ConfigDocument document = new ConfigDocument(text.text(), text.lineEnd());

        text.replace(text.encode(document.text()));

        assertThat(Files.readAllBytes(file)).isEqualTo(ConfigFiles.embeddedDefault());
        assertThat(document.root().name()).isEqualTo("configuration");
        assertThat(document.findAll(e -> e.name().equals("mimeMap"))).hasSizeGreaterThan(50);
    }

    @Test
    void theIisExpressFileRoundTripsByteForByteAndScans() throws IOException {
        byte[] original = Files.readAllBytes(ConfigFiles.iisExpress());
        Path file = ConfigFiles.write(temp, original);
        ConfigFileText text = ConfigFileText.read(file);
        ConfigDocument document = new ConfigDocument(text.text(), text.lineEnd());

        text.replace(text.encode(document.text()));

        assertThat(Files.readAllBytes(file)).isEqualTo(original);
        assertThat(document.findAll(e -> e.name().equals("location"))).hasSize(2);
        assertThat(document.findAll(
                        e -> e.name().equals("add") && e.parent().name().equals("globalModules")))
                .hasSizeGreaterThan(30);
    }

    @Test
    void aUtf8FileWithBomAndCrlfKeepsBothAndItsOtherBytesWhenEdited() throws IOException {
        String original = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n"
                + "  <!-- caf\u00e9 \u2014 \u65e5\u672c -->\r\n  <system.webServer>\r\n"
                + "    <directoryBrowse enabled=\"false\" />\r\n  </system.webServer>\r\n</configuration>\r\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = original.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, bytes, 0, 3);
        System.arraycopy(body, 0, bytes, 3, body.length);
        Path file = ConfigFiles.write(temp, bytes);

        ConfigFileText text = ConfigFileText.read(file);
        ConfigDocument document = new ConfigDocument(text.text(), text.lineEnd());
        TextElement server = document.root().child("system.webServer").orElseThrow();
        document.appendChild(server, NewElement.of("httpRedirect", "enabled", "true"));
        text.replace(text.encode(document.text()));

        byte[] written = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(written, 3)).isEqualTo(bom);
        String after = new String(written, 3, written.length - 3, StandardCharsets.UTF_8);
        assertThat(after)
                .isEqualTo(original.replace(
                        "enabled=\"false\" />\r\n",
                        "enabled=\"false\" />\r\n    <httpRedirect enabled=\"true\" />\r\n"));
        assertThat(text.encodingName()).isEqualTo("UTF-8 with BOM");
    }

    @Test
    void aDeclaredLatin1FileIsWrittenInLatin1() throws IOException {
        String original = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<configuration>\n  <!-- d\u00e9faut -->\n"
                + "  <a x=\"1\" />\n</configuration>\n";
        Path file = Files.write(temp.resolve("latin1.config"), original.getBytes(StandardCharsets.ISO_8859_1));

        ConfigFileText text = ConfigFileText.read(file);
        ConfigDocument document = new ConfigDocument(text.text(), text.lineEnd());
        document.setAttribute(document.root().child("a").orElseThrow(), "y", "\u00e9t\u00e9");
        text.replace(text.encode(document.text()));

        assertThat(Files.readAllBytes(file))
                .isEqualTo(original.replace("x=\"1\"", "x=\"1\" y=\"\u00e9t\u00e9\"")
                        .getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bytesThatAreNotValidInTheFilesEncodingAreRefusedNotRewritten() throws IOException {
        byte[] bytes = "<configuration><!-- \u00ff --></configuration>".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(temp.resolve("bad.config"), bytes);

        assertThatThrownBy(() -> ConfigFileText.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not valid UTF-8 text");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void replacingKeepsThePermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path file = ConfigFiles.write(temp, ConfigFiles.embeddedDefault());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        ConfigFileText text = ConfigFileText.read(file);

        text.replace(text.encode(
                text.text().replace("<directoryBrowse enabled=\"false\"", "<directoryBrowse enabled=\"true\"")));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        try (var listing = Files.list(temp)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("applicationHost.config");
        }
        assertThat(LineDiff.of(
                        new String(ConfigFiles.embeddedDefault(), StandardCharsets.UTF_8), Files.readString(file)))
                .isEqualTo(List.of(
                        "-    <directoryBrowse enabled=\"false\" />", "+    <directoryBrowse enabled=\"true\" />"));
    }
}
