package io.weir.api.provider;

import java.nio.file.Path;

/**
 * The provider of GL_FILE_CHANGE; mirrors IIS's {@code IGlobalFileChangeProvider}.
 */
public interface GlobalFileChangeProvider {

    /**
     * Returns the file that changed. Mirrors {@code GetFileName}.
     *
     * @return the absolute path
     */
    Path fileName();
}
