package io.weir.modules.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdOutputStream;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The content codings a {@code httpCompression/scheme} may name (RFC 9110 section 8.4.1): IIS's
 * {@code gzip} and {@code deflate} (java.util.zip), and Weir's {@code br} (Brotli, RFC 7932,
 * through Brotli4j) and {@code zstd} (Zstandard, RFC 8878, through zstd-jni).
 *
 * <p>IIS levels run from 0 (fastest) to 10 for gzip and deflate, 0 to 11 for Brotli; each codec
 * maps them onto its own scale: zlib 1–9 (0 and 1 both mean 1, above 9 means 9), Brotli quality
 * 0–11 as written, Zstandard 1–19 (0 means 1).
 */
public enum ContentCoding {
    /** {@code gzip}: RFC 1952 framing around DEFLATE. */
    GZIP("gzip", ".gz"),
    /** {@code deflate}: the zlib format (RFC 1950), as RFC 9110 defines the coding. */
    DEFLATE("deflate", ".zz"),
    /** {@code br}: Brotli. */
    BR("br", ".br"),
    /** {@code zstd}: Zstandard. */
    ZSTD("zstd", ".zst");

    private final String token;
    private final String suffix;

    ContentCoding(String token, String suffix) {
        this.token = token;
        this.suffix = suffix;
    }

    /** @return the coding's token in {@code Accept-Encoding} and {@code Content-Encoding}, lower case */
    public String token() {
        return token;
    }

    /** @return the file-name suffix of a precompressed sibling of a file ({@code ".gz"}, {@code ".br"}, ...) */
    public String siblingSuffix() {
        return suffix;
    }

    /**
     * Finds the coding a scheme name stands for, ignoring case.
     *
     * @param name a {@code scheme@name}
     * @return the coding, or empty when Weir has no codec of that name
     */
    public static Optional<ContentCoding> byName(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        for (ContentCoding c : values()) {
            if (c.token.equals(lower)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Opens an encoder that writes this coding of what it is given to {@code out}. Its
     * {@code flush()} emits every byte written so far in a form the client can decode (a sync
     * flush); {@code close()} ends the coded stream and closes {@code out}.
     *
     * @param out      where the coded bytes go
     * @param iisLevel the scheme's IIS level (0 fastest)
     * @return the encoder
     * @throws IOException if the codec cannot start (its native library failed to load)
     */
    public OutputStream encoder(OutputStream out, long iisLevel) throws IOException {
        int level = (int) Math.min(iisLevel, 22);
        return switch (this) {
            case GZIP -> new LevelledGzip(out, Math.clamp(level, 1, 9));
            case DEFLATE ->
                new DeflaterOutputStream(out, new Deflater(Math.clamp(level, 1, 9)), 8192, true) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            def.end();
                        }
                    }
                };
            case BR -> {
                loadBrotli();
                yield new BrotliOutputStream(out, new Encoder.Parameters().setQuality(Math.clamp(level, 0, 11)));
            }
            case ZSTD -> new ZstdOutputStream(out, Math.clamp(level, 1, 19));
        };
    }

    /**
     * Loads the native codecs (Brotli, Zstandard) so that the first response that needs one does not
     * pay for unpacking and loading the library on an event loop; called at module registration.
     * A platform without them keeps {@code gzip} and {@code deflate}.
     */
    static void preload() {
        try {
            Brotli4jLoader.isAvailable();
            Native.load();
        } catch (RuntimeException | LinkageError e) {
            // reported again, as an IOException, when a response asks for the coding
        }
    }

    private static void loadBrotli() throws IOException {
        if (!Brotli4jLoader.isAvailable()) {
            Throwable cause = Brotli4jLoader.getUnavailabilityCause();
            throw new IOException("the Brotli native library is not available on this platform", cause);
        }
    }

    /** GZIPOutputStream at a chosen level, with sync flush, releasing its deflater on close. */
    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(OutputStream out, int level) throws IOException {
            super(out, 8192, true);
            def.setLevel(level);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                def.end();
            }
        }
    }
}
