package io.weir.modules.urlauthorization;

import io.weir.api.http.HttpUser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code <add>} of {@code system.webServer/security/authorization}, prepared for matching.
 *
 * <p>A rule applies to a request when its verb is listed (or {@code verbs} is empty) and the user is
 * named by {@code users} or has one of {@code roles}: {@code *} in {@code users} names everyone,
 * anonymous included; {@code ?} names the anonymous user; other names match without regard to case
 * (as Windows account names do), roles through {@link HttpUser#isInRole}. Verbs compare with case, as
 * IIS's schema says ({@code caseSensitive="true"}).
 *
 * @param allow          true for {@code accessType="Allow"}, false for {@code Deny}
 * @param everyone       {@code users} holds {@code *}
 * @param anonymous      {@code users} holds {@code ?}
 * @param users          the other user names, lower-cased (ROOT locale)
 * @param roles          the role names, as written
 * @param verbs          the verbs; empty for every verb
 */
public record AuthorizationRule(
        boolean allow, boolean everyone, boolean anonymous, Set<String> users, List<String> roles, Set<String> verbs) {

    /**
     * Copies the collections.
     *
     * @param allow     see the class description
     * @param everyone  see the class description
     * @param anonymous see the class description
     * @param users     see the class description
     * @param roles     see the class description
     * @param verbs     see the class description
     */
    public AuthorizationRule {
        users = Set.copyOf(users);
        roles = List.copyOf(roles);
        verbs = Set.copyOf(verbs);
    }

    /**
     * Builds a rule from its attributes.
     *
     * @param allow the access type
     * @param users the {@code users} attribute, comma-separated
     * @param roles the {@code roles} attribute, comma-separated
     * @param verbs the {@code verbs} attribute, comma-separated
     * @return the rule
     */
    public static AuthorizationRule of(boolean allow, String users, String roles, String verbs) {
        boolean everyone = false;
        boolean anonymous = false;
        Set<String> names = new LinkedHashSet<>();
        for (String user : split(users)) {
            switch (user) {
                case "*" -> everyone = true;
                case "?" -> anonymous = true;
                default -> names.add(user.toLowerCase(Locale.ROOT));
            }
        }
        return new AuthorizationRule(
                allow, everyone, anonymous, names, split(roles), new LinkedHashSet<>(split(verbs)));
    }

    /**
     * Tells whether the rule names no user and no role (IIS requires one of them).
     *
     * @return true when {@code users} and {@code roles} are both empty
     */
    public boolean namesNobody() {
        return !everyone && !anonymous && users.isEmpty() && roles.isEmpty();
    }

    /**
     * Tells whether the rule applies to a request.
     *
     * @param method      the request's verb
     * @param user        the request's user, or null for none
     * @param isAnonymous whether the request is anonymous (no user, or a user with an empty name)
     * @return true when verb and user (or one of the user's roles) match
     */
    public boolean applies(String method, HttpUser user, boolean isAnonymous) {
        if (!verbs.isEmpty() && !verbs.contains(method)) {
            return false;
        }
        if (everyone) {
            return true;
        }
        if (isAnonymous) {
            return anonymous;
        }
        if (!users.isEmpty() && users.contains(user.userName().toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (String role : roles) {
            if (user.isInRole(role)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(String list) {
        List<String> parts = new ArrayList<>();
        for (String part : list.split(",")) {
            String trimmed = part.strip();
            if (!trimmed.isEmpty()) {
                parts.add(trimmed);
            }
        }
        return parts;
    }
}
