package io.weir.cli.edit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration file's bytes as text, and the way back: the byte order mark, the encoding (the
 * BOM's, else the XML declaration's, else UTF-8, as an XML parser decides) and the line ending the
 * file uses, so that an edited text is written with the same BOM, encoding and line endings and
 * every unedited byte stays as it was. A file whose bytes would not come back identical after
 * decoding and encoding (malformed for its encoding) is refused rather than altered.
 *
 * @param file     the file
 * @param bytes    its bytes as read
 * @param bom      the byte order mark, empty when none
 * @param charset  its encoding
 * @param text     its text after the BOM
 * @param lineEnd  the line ending new lines get: the file's first one ({@code \r\n}, {@code \n} or
 *                 {@code \r}), {@code \n} for a file of one line
 */
public record ConfigFileText(Path file, byte[] bytes, byte[] bom, Charset charset, String text, String lineEnd) {

    private static final Pattern DECLARED_ENCODING =
            Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

    /**
     * Reads a file.
     *
     * @param file the file
     * @return its text and what is needed to write it back the same way
     * @throws IOException                when it cannot be read, or is not valid text in its encoding
     */
    public static ConfigFileText read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] bom = new byte[0];
        Charset charset = null;
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            bom = Arrays.copyOf(bytes, 3);
            charset = StandardCharsets.UTF_8;
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            bom = Arrays.copyOf(bytes, 2);
            charset = StandardCharsets.UTF_16LE;
        } else if (startsWith(bytes, 0xFE, 0xFF)) {
            bom = Arrays.copyOf(bytes, 2);
            charset = StandardCharsets.UTF_16BE;
        } else {
            String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
            Matcher declared = DECLARED_ENCODING.matcher(head);
            charset = StandardCharsets.UTF_8;
            if (declared.find()) {
                try {
                    charset = Charset.forName(declared.group(1));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " declares the encoding '" + declared.group(1)
                            + "', which this Java runtime does not know");
                }
            }
        }
        String text;
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, bom.length, bytes.length - bom.length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not valid " + charset.name() + " text (" + e + "); it is left as it is");
        }
        ConfigFileText read = new ConfigFileText(file, bytes, bom, charset, text, lineEnd(text));
        if (!Arrays.equals(read.encode(text), bytes)) {
            throw new IOException(file + ": its " + charset.name()
                    + " bytes do not survive decoding and encoding unchanged; it is left as it is");
        }
        return read;
    }

    /**
     * Encodes a text the way the file is encoded: BOM first, then the text in its encoding.
     *
     * @param newText the text
     * @return the bytes
     * @throws IOException when the text has a character the encoding cannot represent
     */
    public byte[] encode(String newText) throws IOException {
        ByteBuffer encoded;
        try {
            encoded = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(newText));
        } catch (CharacterCodingException e) {
            throw new IOException("the edited text has a character that " + charset.name() + " (the encoding of " + file
                    + ") cannot represent");
        }
        byte[] out = new byte[bom.length + encoded.remaining()];
        System.arraycopy(bom, 0, out, 0, bom.length);
        encoded.get(out, bom.length, encoded.remaining());
        return out;
    }

    /**
     * Replaces the file with new bytes atomically: they are written to a temporary file in the same
     * folder (with the file's POSIX permissions when the file system has them), which is then moved
     * over the file. On any failure the temporary file is deleted and the file is as it was.
     *
     * @param newBytes the new content
     * @throws IOException when writing or moving fails
     */
    public void replace(byte[] newBytes) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + file.getFileName() + ".", ".weir-edit");
        try {
            Files.write(temp, newBytes);
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                Files.getFileAttributeView(temp, PosixFileAttributeView.class).setPermissions(permissions);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return the name of the encoding, for messages */
    public String encodingName() {
        return charset.name().toUpperCase(Locale.ROOT) + (bom.length > 0 ? " with BOM" : "");
    }

    private static String lineEnd(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? "\r\n" : "\r";
            }
            if (c == '\n') {
                return "\n";
            }
        }
        return "\n";
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
