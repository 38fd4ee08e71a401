package io.weir.api;

import java.util.Locale;

/**
 * Priority of a module within one notification; mirrors IIS's {@code PRIORITY_ALIAS_*} strings.
 *
 * <p>Modules of higher priority run first (FIRST, HIGH, MEDIUM, LOW, LAST); modules of equal
 * priority run in the order of the effective {@code <modules>} list. For
 * {@link RequestNotification#SEND_RESPONSE} the whole order is reversed, as in IIS: a module that
 * wants to see the response first registers SEND_RESPONSE with {@link #LAST}. A module that sets no
 * priority for a notification gets {@link #MEDIUM} (IIS leaves this undocumented).
 */
public enum Priority {
    /** {@code PRIORITY_ALIAS_FIRST}. */
    FIRST,
    /** {@code PRIORITY_ALIAS_HIGH}. */
    HIGH,
    /** {@code PRIORITY_ALIAS_MEDIUM}; the default. */
    MEDIUM,
    /** {@code PRIORITY_ALIAS_LOW}. */
    LOW,
    /** {@code PRIORITY_ALIAS_LAST}. */
    LAST;

    /**
     * Returns IIS's alias string for this priority.
     *
     * @return {@code "FIRST"}, {@code "HIGH"}, {@code "MEDIUM"}, {@code "LOW"} or {@code "LAST"}
     */
    public String alias() {
        return name();
    }

    /**
     * Parses an IIS priority alias, ignoring case.
     *
     * @param alias one of FIRST, HIGH, MEDIUM, LOW, LAST
     * @return the priority
     * @throws IllegalArgumentException if {@code alias} is none of them
     */
    public static Priority fromAlias(String alias) {
        try {
            return valueOf(alias.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown priority alias '" + alias + "' (expected FIRST, HIGH, MEDIUM, LOW or LAST)", e);
        }
    }
}
