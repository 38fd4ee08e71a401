package io.weir.config;

import io.weir.api.config.ConfigException;
import java.nio.file.Path;

/**
 * A web.config as read: its structure, or why it was refused.
 *
 * @param file   the web.config
 * @param parsed its structure, null when it was refused
 * @param error  why it was refused, null when it was read
 */
record WebConfigFile(Path file, ConfigurationFile parsed, ConfigException error) {}
