/**
 * IIS's StaticCompressionModule and DynamicCompressionModule: HTTP response compression driven by
 * {@code system.webServer/httpCompression}, {@code urlCompression} and
 * {@code serverRuntime@frequentHitThreshold}/{@code frequentHitTimePeriod}, with IIS's defaults.
 * The codings are {@code gzip} and {@code deflate} (java.util.zip), and Weir's additions {@code br}
 * (Brotli4j) and {@code zstd} (zstd-jni); Weir's other addition is
 * {@code httpCompression@weirServePrecompressed} (off by default): precompressed siblings
 * ({@code app.js.br}, {@code app.js.zst}, {@code app.js.gz}) served as they are.
 *
 * <p>Not acted on: {@code dynamicCompressionBeforeCache} (no output cache runs before the
 * compression modules yet), a scheme's {@code dll} (the codec follows the scheme's name).
 */
package io.weir.modules.compression;
