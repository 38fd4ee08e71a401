package io.weir.it.proxy;

/** The applicationHost.config the proxy tests run: the proxy, custom errors, and the stand-in for URL Rewrite. */
final class ProxyConfig {

    private ProxyConfig() {}

    /**
     * @param proxyAttributes attributes of {@code <proxy>} (enabled="true" and more)
     * @param handlers        extra {@code <handlers>} entries, tried first
     * @param webFarms        the content of {@code <webFarms>}
     * @return the configuration text
     */
    static String xml(String proxyAttributes, String handlers, String webFarms) {
        return """
                <configuration>
                  <configSections>
                    <section name="webFarms" />
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="httpErrors" overrideModeDefault="Allow" />
                      <section name="proxy" />
                    </sectionGroup>
                  </configSections>
                  <webFarms>@FARMS@</webFarms>
                  <system.applicationHost><sites>
                    <site name="Test" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="ProxyUrlSetter" type="io.weir.it.proxy.ProxyUrlSetter" />
                      <add name="CustomErrorModule" type="io.weir.modules.customerror.CustomErrorModuleRegistration" />
                      <add name="ApplicationRequestRouting" type="io.weir.modules.proxy.ProxyModuleRegistration" />
                    </globalModules>
                    <modules>
                      <add name="ProxyUrlSetter" />
                      <add name="CustomErrorModule" />
                      <add name="ApplicationRequestRouting" />
                    </modules>
                    <handlers accessPolicy="Read, Script">
                      @HANDLERS@
                    </handlers>
                    <httpErrors errorMode="Detailed" existingResponse="Auto" />
                    <proxy @PROXY@ />
                  </system.webServer>
                </configuration>
                """.replace("@FARMS@", webFarms).replace("@HANDLERS@", handlers).replace("@PROXY@", proxyAttributes);
    }

    /** A handler mapping that proxies {@code path} to {@code base} (the direct configuration, without URL Rewrite). */
    static String direct(String name, String path, String base) {
        return "<add name=\"" + name + "\" path=\"" + path
                + "\" verb=\"*\" modules=\"ApplicationRequestRouting\" scriptProcessor=\"" + base
                + "\" resourceType=\"Unspecified\" requireAccess=\"None\" />";
    }
}
