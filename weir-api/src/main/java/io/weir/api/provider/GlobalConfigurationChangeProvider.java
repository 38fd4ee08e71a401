package io.weir.api.provider;

/**
 * The provider of GL_CONFIGURATION_CHANGE; mirrors IIS's {@code IGlobalConfigurationChangeProvider}.
 */
public interface GlobalConfigurationChangeProvider {

    /**
     * Returns the configuration path that changed. Mirrors {@code GetChangePath}.
     *
     * @return for example {@code "MACHINE/WEBROOT/APPHOST/Default Web Site"}
     */
    String changePath();
}
