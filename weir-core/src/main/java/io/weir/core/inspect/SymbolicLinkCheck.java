package io.weir.core.inspect;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A URL's file checked against the {@code weirSymbolicLinks} section (see
 * {@link EngineInspection#symbolicLinks}).
 *
 * @param mode         the section's mode ({@code FOLLOW}, {@code REFUSE_OUTSIDE_ROOT} or {@code REFUSE_ALL})
 * @param resolvedPath where the physical path leads through symbolic links, when that differs from it
 * @param allowed      whether the file may be served (a refused file is answered as missing)
 */
public record SymbolicLinkCheck(String mode, Optional<Path> resolvedPath, boolean allowed) {}
