package io.weir.modules.authentication;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Weir's user store file, parsed: one user a line, {@code name:hash[:role1,role2,…]}.
 *
 * <ul>
 * <li>{@code name}: the user name (no {@code ':'}); it may carry a domain, {@code DOMAIN\name}. Names
 *     match without regard to case, as Windows account names do.</li>
 * <li>{@code hash}: a bcrypt hash, {@code $2y$}, {@code $2b$} or {@code $2a$} with its cost and salt,
 *     exactly as {@code htpasswd -B} writes it.</li>
 * <li>{@code roles} (optional): a comma-separated list, spaces around names ignored, matched without
 *     case.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are ignored. So a file written by
 * {@code htpasswd -B -c users.htpasswd alice} is a valid user store (users without roles), and roles
 * are added by appending {@code :role,…} to a line.
 *
 * <p>A malformed line (no hash, a hash that is not bcrypt, such as {@code $apr1$} or {@code {SHA}}, a
 * duplicated name) is left out and reported in {@link #problems()}; the other users load. Leaving a
 * line out fails closed: that user cannot log on.
 *
 * @param users    lower-cased name to user
 * @param problems one message per refused line, {@code "line N: reason"}
 */
public record UserFile(Map<String, StoredUser> users, List<String> problems) {

    /**
     * Copies the maps.
     *
     * @param users    see the class description
     * @param problems see the class description
     */
    public UserFile {
        users = Collections.unmodifiableMap(new HashMap<>(users));
        problems = List.copyOf(problems);
    }

    /**
     * One user of the file.
     *
     * @param name  the name as written
     * @param hash  the parsed bcrypt hash (version, cost, salt, raw hash)
     * @param roles lower-cased roles
     */
    public record StoredUser(String name, BCrypt.HashData hash, Set<String> roles) {

        /**
         * Copies the roles.
         *
         * @param name  see the record description
         * @param hash  see the record description
         * @param roles see the record description
         */
        public StoredUser {
            roles = Set.copyOf(roles);
        }

        /**
         * Returns the user as the request's user.
         *
         * @return a Basic user with this name and these roles
         */
        public AuthenticatedUser asHttpUser() {
            return new AuthenticatedUser(name, "Basic", roles);
        }
    }

    /**
     * Parses the file's text.
     *
     * @param text the file, UTF-8 decoded
     * @return the users and the problems found
     */
    public static UserFile parse(String text) {
        Map<String, StoredUser> users = new HashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (n + 1) + ": ";
            int first = line.indexOf(':');
            if (first <= 0) {
                problems.add(where + "expected name:hash[:roles]");
                continue;
            }
            String name = line.substring(0, first).strip();
            int second = line.indexOf(':', first + 1);
            String hash = (second < 0 ? line.substring(first + 1) : line.substring(first + 1, second)).strip();
            String roleList = second < 0 ? "" : line.substring(second + 1);
            if (!(hash.startsWith("$2y$") || hash.startsWith("$2b$") || hash.startsWith("$2a$"))) {
                problems.add(
                        where + "user '" + name + "' has no bcrypt hash ($2y$, $2b$ or $2a$, as htpasswd -B writes)");
                continue;
            }
            BCrypt.HashData parsed;
            try {
                parsed = BCrypt.Version.VERSION_2A.parser.parse(hash.getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalBCryptFormatException | RuntimeException e) {
                problems.add(where + "user '" + name + "' has a malformed bcrypt hash");
                continue;
            }
            Set<String> roles = new LinkedHashSet<>();
            for (String role : roleList.split(",")) {
                String trimmed = role.strip();
                if (!trimmed.isEmpty()) {
                    roles.add(trimmed.toLowerCase(Locale.ROOT));
                }
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (users.containsKey(key)) {
                problems.add(where + "user '" + name + "' is listed twice; the first entry is kept");
                continue;
            }
            users.put(key, new StoredUser(name, parsed, roles));
        }
        return new UserFile(users, problems);
    }
}
