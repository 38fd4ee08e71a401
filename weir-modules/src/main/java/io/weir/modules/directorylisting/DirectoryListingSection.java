package io.weir.modules.directorylisting;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code system.webServer/directoryBrowse} section, with IIS's defaults.
 *
 * @param enabled   whether listings are produced, default false (403.14 otherwise)
 * @param showFlags the columns shown, default {@code Date, Time, Size, Extension}
 */
public record DirectoryListingSection(boolean enabled, Set<ShowFlag> showFlags) {

    /** Binds {@code system.webServer/directoryBrowse}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<DirectoryListingSection> SECTION =
            ConfigSectionType.of("system.webServer/directoryBrowse", DirectoryListingSection::from);

    /** IIS's default {@code showFlags}. */
    static final Set<ShowFlag> DEFAULT_FLAGS =
            Collections.unmodifiableSet(EnumSet.of(ShowFlag.Date, ShowFlag.Time, ShowFlag.Size, ShowFlag.Extension));

    /**
     * Copies the flags so the record stays immutable.
     *
     * @param enabled   whether listings are produced
     * @param showFlags the columns shown
     */
    public DirectoryListingSection {
        showFlags = showFlags.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(ShowFlag.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(showFlags));
    }

    /**
     * Binds the merged section element. {@code showFlags} is IIS's flags type: names separated by
     * commas (any case, {@code None} for none) or the numeric sum of the flag values.
     *
     * @param section the merged {@code directoryBrowse} element
     * @return the record
     * @throws ConfigException if an attribute is malformed
     */
    public static DirectoryListingSection from(ConfigElement section) {
        boolean enabled = section.booleanAttribute("enabled", false);
        Set<ShowFlag> flags = section.attribute("showFlags")
                .map(value -> parseFlags(value, section))
                .orElse(DEFAULT_FLAGS);
        return new DirectoryListingSection(enabled, flags);
    }

    private static Set<ShowFlag> parseFlags(String value, ConfigElement section) {
        EnumSet<ShowFlag> flags = EnumSet.noneOf(ShowFlag.class);
        String trimmed = value.trim();
        if (!trimmed.isEmpty() && Character.isDigit(trimmed.charAt(0))) {
            int mask;
            try {
                mask = Integer.parseInt(trimmed);
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        section.attributeSource("showFlags"),
                        "showFlags '" + value
                                + "' is not a number or a list of Date, Time, Size, Extension, LongDate, None",
                        e);
            }
            for (ShowFlag flag : ShowFlag.values()) {
                if ((mask & flag.value()) != 0) {
                    flags.add(flag);
                }
            }
            return flags;
        }
        for (String part : trimmed.split(",")) {
            String name = part.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("None")) {
                continue;
            }
            ShowFlag match = null;
            for (ShowFlag flag : ShowFlag.values()) {
                if (flag.name().equalsIgnoreCase(name)) {
                    match = flag;
                }
            }
            if (match == null) {
                throw new ConfigException(
                        section.attributeSource("showFlags"),
                        "showFlags names '" + name + "', expected Date, Time, Size, Extension, LongDate or None");
            }
            flags.add(match);
        }
        return flags;
    }

    /**
     * Prints the section in its XML form.
     *
     * @return for example {@code <directoryBrowse enabled="true" showFlags="Date, Time"/>}
     */
    @Override
    public String toString() {
        StringBuilder flags = new StringBuilder();
        for (ShowFlag flag : showFlags) {
            flags.append(flags.isEmpty() ? "" : ", ").append(flag.name());
        }
        return "<directoryBrowse enabled=\"" + enabled + "\" showFlags=\"" + (flags.isEmpty() ? "None" : flags)
                + "\"/>";
    }

    /** The flags of {@code directoryBrowse@showFlags}, with IIS's names and values. */
    public enum ShowFlag {
        /** 2: the modification date, short form. */
        Date(2),
        /** 4: the modification time. */
        Time(4),
        /** 8: the file size in bytes. */
        Size(8),
        /** 16: file names keep their extension. */
        Extension(16),
        /** 32: the modification date in long form (day and month names). */
        LongDate(32);

        private final int value;

        ShowFlag(int value) {
            this.value = value;
        }

        /**
         * Returns IIS's value of the flag.
         *
         * @return the bit
         */
        public int value() {
            return value;
        }
    }
}
