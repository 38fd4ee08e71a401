package io.weir.api.http;

/**
 * A site of {@code system.applicationHost/sites}; mirrors IIS's {@code IHttpSite}. Thread-safe.
 */
public interface HttpSite {

    /**
     * Returns the site's id.
     *
     * @return the {@code id} attribute, 1 for the default site
     */
    long siteId();

    /**
     * Returns the site's name.
     *
     * @return the {@code name} attribute, for example {@code "Default Web Site"}
     */
    String siteName();

    /**
     * Returns the per-site store.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
