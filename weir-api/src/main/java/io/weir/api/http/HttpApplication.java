package io.weir.api.http;

import java.nio.file.Path;

/**
 * An application of a site; mirrors IIS's {@code IHttpApplication}. Thread-safe.
 */
public interface HttpApplication {

    /**
     * Returns the application's physical root, the physical path of its root virtual directory.
     *
     * @return the absolute path
     */
    Path applicationPhysicalPath();

    /**
     * Returns the application's virtual path within its site.
     *
     * @return for example {@code "/"} or {@code "/api"}
     */
    String virtualPath();

    /**
     * Returns the application's identity in IIS form.
     *
     * @return for example {@code "/LM/W3SVC/1/ROOT"}
     */
    String applicationId();

    /**
     * Returns the application's configuration path in IIS form.
     *
     * @return for example {@code "MACHINE/WEBROOT/APPHOST/Default Web Site"}
     */
    String appConfigPath();

    /**
     * Returns the per-application store.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
