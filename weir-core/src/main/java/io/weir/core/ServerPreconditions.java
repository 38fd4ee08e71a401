package io.weir.core;

import java.util.Locale;

/**
 * Evaluates {@code preCondition} strings for the server ({@code IHttpServer::SatisfiesPrecondition}):
 * a comma-separated list of IIS's conditions, all of which must hold. Stateless; any thread.
 */
final class ServerPreconditions {

    private ServerPreconditions() {}

    /**
     * @param precondition the text, for example {@code "integratedMode,bitness64"}
     * @param appPoolName  the process's application pool
     * @return true when every condition holds
     * @throws IllegalArgumentException for a condition IIS does not define
     */
    static boolean satisfies(String precondition, String appPoolName) {
        if (precondition == null || precondition.isBlank()) {
            return true;
        }
        boolean all = true;
        for (String raw : precondition.split(",")) {
            String condition = raw.trim();
            if (condition.isEmpty()) {
                continue;
            }
            all &= holds(condition, appPoolName);
        }
        return all;
    }

    private static boolean holds(String condition, String appPoolName) {
        String c = condition.toLowerCase(Locale.ROOT);
        if (c.startsWith("apppoolname=")) {
            for (String name : condition.substring("appPoolName=".length()).split(";")) {
                if (name.trim().equalsIgnoreCase(appPoolName)) {
                    return true;
                }
            }
            return false;
        }
        return switch (c) {
            case "integratedmode" -> true;
            case "isapimode", "classicmode", "managedhandler" -> false;
            case "runtimeversionv1.1", "runtimeversionv2.0", "runtimeversionv4.0" -> false;
            case "bitness64" -> is64Bit();
            case "bitness32" -> !is64Bit();
            default -> throw new IllegalArgumentException("unknown precondition '" + condition + "'");
        };
    }

    private static boolean is64Bit() {
        String model = System.getProperty("sun.arch.data.model", "");
        return model.isEmpty() ? System.getProperty("os.arch", "").contains("64") : model.equals("64");
    }
}
