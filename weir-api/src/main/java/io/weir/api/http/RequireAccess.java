package io.weir.api.http;

/**
 * The access a handler mapping needs from the {@code handlers} section's {@code accessPolicy};
 * mirrors the {@code requireAccess} attribute and {@code IScriptMapInfo::GetRequiredAccess}.
 */
public enum RequireAccess {
    /** 0: no access needed. */
    NONE,
    /** 1: read access (the static file handler). */
    READ,
    /** 2: write access. */
    WRITE,
    /** 3 (the default): script access. */
    SCRIPT,
    /** 4: execute access. */
    EXECUTE
}
