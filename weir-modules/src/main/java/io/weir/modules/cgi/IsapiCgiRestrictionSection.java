package io.weir.modules.cgi;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code system.webServer/security/isapiCgiRestriction} section as CgiModule uses it: which
 * executables CGI may run. IIS compares paths ignoring case (Windows); Weir compares them exactly.
 * ISAPI entries (DLLs) have no meaning in Weir and are simply never asked about.
 *
 * @param allowedByPath        each listed path and its {@code allowed}
 * @param notListedCgisAllowed whether an executable that is not listed may run (IIS's default: no)
 */
public record IsapiCgiRestrictionSection(Map<String, Boolean> allowedByPath, boolean notListedCgisAllowed) {

    /** Binds the section; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<IsapiCgiRestrictionSection> SECTION =
            ConfigSectionType.of("system.webServer/security/isapiCgiRestriction", IsapiCgiRestrictionSection::from);

    /** Copies the map. */
    public IsapiCgiRestrictionSection {
        allowedByPath = Collections.unmodifiableMap(new LinkedHashMap<>(allowedByPath));
    }

    /**
     * Binds the merged section with IIS's defaults.
     *
     * @param section the merged element
     * @return the record
     */
    public static IsapiCgiRestrictionSection from(ConfigElement section) {
        Map<String, Boolean> paths = new LinkedHashMap<>();
        for (ConfigElement add : section.collection()) {
            paths.put(add.stringAttribute("path", "").trim(), add.booleanAttribute("allowed", false));
        }
        return new IsapiCgiRestrictionSection(paths, section.booleanAttribute("notListedCgisAllowed", false));
    }

    /**
     * Tells whether CGI may run an executable.
     *
     * @param executable the executable's path, as the handler mapping resolves it
     * @return its entry's {@code allowed}, else {@code notListedCgisAllowed}
     */
    public boolean allows(String executable) {
        Boolean allowed = allowedByPath.get(executable);
        return allowed != null ? allowed : notListedCgisAllowed;
    }
}
