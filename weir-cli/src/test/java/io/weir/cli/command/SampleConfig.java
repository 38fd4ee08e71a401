package io.weir.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An applicationHost.config for the inspection tests, written to a temporary folder with its site
 * folders: two started sites that share port 8080 ("Main" for any host, "Intranet" for
 * intranet.example), a stopped one, the built-in modules by {@code type=}, the probe modules of
 * {@link ProbeModules}, an IIS image Weir does not implement, and handler entries that are passed
 * over for each of IIS's reasons.
 */
final class SampleConfig {

    /** The line of {@code <location path="Main/docs">} in the file. */
    static final int DOCS_LOCATION_LINE = 72;

    private SampleConfig() {}

    /**
     * Writes the file and the folders {@code main} (with readme.txt and docs/) and {@code intranet}.
     *
     * @param dir an empty folder
     * @return the configuration file
     * @throws IOException when writing fails
     */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("main/docs"));
        Files.writeString(dir.resolve("main/readme.txt"), "read me\n");
        Files.createDirectories(dir.resolve("intranet"));
        return Files.writeString(dir.resolve("applicationHost.config"), """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                      <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                      <section name="handlers" overrideModeDefault="Deny" />
                      <section name="directoryBrowse" overrideModeDefault="Allow" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost>
                    <sites>
                      <site name="Main" id="1">
                        <application path="/">
                          <virtualDirectory path="/" physicalPath="main" />
                        </application>
                        <application path="/app" applicationPool="AppPool">
                          <virtualDirectory path="/" physicalPath="app-missing" />
                        </application>
                        <bindings>
                          <binding protocol="http" bindingInformation="*:8080:" />
                        </bindings>
                      </site>
                      <site name="Intranet" id="2">
                        <application path="/">
                          <virtualDirectory path="/" physicalPath="intranet" />
                        </application>
                        <bindings>
                          <binding protocol="http" bindingInformation="*:8080:intranet.example" />
                        </bindings>
                      </site>
                      <site name="Parked" id="3" serverAutoStart="false">
                        <application path="/">
                          <virtualDirectory path="/" physicalPath="main" />
                        </application>
                        <bindings>
                          <binding protocol="http" bindingInformation="127.0.0.1:9090:" />
                        </bindings>
                      </site>
                    </sites>
                  </system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                      <add name="DefaultDocumentModule" type="io.weir.modules.defaultdocument.DefaultDocumentModuleRegistration" />
                      <add name="DirectoryListingModule" type="io.weir.modules.directorylisting.DirectoryListingModuleRegistration" />
                      <add name="RequestFilteringModule" type="io.weir.modules.requestfiltering.RequestFilteringModuleRegistration" />
                      <add name="LateProbe" type="io.weir.cli.command.ProbeModules$Late" />
                      <add name="HighProbe" type="io.weir.cli.command.ProbeModules$High" />
                      <add name="GlobalProbe" type="io.weir.cli.command.ProbeModules$GlobalOnly" />
                      <add name="ServerSideIncludeModule" image="%windir%\\System32\\inetsrv\\iis_ssi.dll" />
                    </globalModules>
                    <modules>
                      <add name="StaticFileModule" />
                      <add name="DefaultDocumentModule" />
                      <add name="DirectoryListingModule" />
                      <add name="RequestFilteringModule" />
                      <add name="LateProbe" />
                      <add name="HighProbe" />
                    </modules>
                    <handlers accessPolicy="Read">
                      <add name="AspClassic" path="*.asp" verb="*" modules="IsapiModule" preCondition="classicMode" />
                      <add name="PhpScripts" path="*.php" verb="*" modules="FastCgiModule" requireAccess="Script" />
                      <add name="Broken" path="*.broken" verb="GET" modules="StaticFileModule,NoSuchModule" resourceType="Unspecified" requireAccess="None" />
                      <add name="PostOnly" path="*.form" verb="POST" modules="StaticFileModule" requireAccess="Read" />
                      <add name="Files" path="*" verb="GET,HEAD" modules="StaticFileModule" resourceType="File" requireAccess="Read" />
                      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule,DefaultDocumentModule,DirectoryListingModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                  </system.webServer>
                  <location path="Main/docs">
                    <system.webServer>
                      <modules>
                        <remove name="RequestFilteringModule" />
                      </modules>
                      <directoryBrowse enabled="true" />
                    </system.webServer>
                  </location>
                  <location path="Intranet">
                    <system.webServer>
                      <handlers>
                        <clear />
                        <add name="TextOnly" path="*.txt" verb="GET" modules="StaticFileModule" resourceType="Unspecified" requireAccess="Read" />
                      </handlers>
                    </system.webServer>
                  </location>
                </configuration>
                """);
    }
}
