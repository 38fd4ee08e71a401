package io.weir.testkit;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;

/** A handler module for the testkit's own tests: answers "hello PATH" as text/plain. */
public final class HelloModuleRegistration implements ModuleRegistration {

    /** The configuration the tests run: one site, this module as the handler of every URL. */
    static final String CONFIG = """
            <configuration>
              <configSections>
                <sectionGroup name="system.applicationHost">
                  <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                </sectionGroup>
                <sectionGroup name="system.webServer">
                  <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                  <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                  <section name="handlers" overrideModeDefault="Deny" />
                </sectionGroup>
              </configSections>
              <system.applicationHost>
                <sites>
                  <site name="Test Site" id="1" serverAutoStart="true">
                    <application path="/">
                      <virtualDirectory path="/" physicalPath="%TEST_ROOT%" />
                    </application>
                    <bindings>
                      <binding protocol="http" bindingInformation="*:8080:" />
                    </bindings>
                  </site>
                </sites>
              </system.applicationHost>
              <system.webServer>
                <globalModules>
                  <add name="HelloModule" type="io.weir.testkit.HelloModuleRegistration" />
                </globalModules>
                <modules>
                  <add name="HelloModule" />
                </modules>
                <handlers accessPolicy="Read, Script">
                  <add name="Hello" path="*" verb="*" modules="HelloModule" resourceType="Unspecified" requireAccess="None" />
                </handlers>
              </system.webServer>
            </configuration>
            """;

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        context.response().setStatus(HttpStatus.OK);
                        context.response().setHeader("Content-Type", "text/plain; charset=utf-8", true);
                        context.response()
                                .writeEntityChunks(DataChunk.ofUtf8(
                                        "hello " + context.request().urlPath()));
                        return RequestNotificationStatus.FINISH_REQUEST;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                Set.of());
    }
}
