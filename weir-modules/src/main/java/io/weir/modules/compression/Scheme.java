package io.weir.modules.compression;

/**
 * One {@code httpCompression/scheme}: a content coding with its levels and whether static and
 * dynamic compression may use it.
 *
 * @param coding              the coding the scheme's {@code name} stands for
 * @param doStaticCompression {@code doStaticCompression}, default true
 * @param doDynamicCompression {@code doDynamicCompression}, default true
 * @param staticLevel         {@code staticCompressionLevel}, default 7
 * @param dynamicLevel        {@code dynamicCompressionLevel}, default 0
 */
record Scheme(
        ContentCoding coding,
        boolean doStaticCompression,
        boolean doDynamicCompression,
        long staticLevel,
        long dynamicLevel) {}
