package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.CredentialsMatchers}
 * ({@code public class CredentialsMatchers}), with working {@link #withId(String)} (the real
 * {@code IdMatcher}: an {@link IdCredentials} whose id equals) and {@link #firstOrNull}. The other
 * matchers ({@code allOf}, {@code instanceOf}, {@code withScope}, ...) and {@code filter} are omitted.
 */
public class CredentialsMatchers {
    private CredentialsMatchers() {
    }

    @NonNull
    public static CredentialsMatcher withId(@NonNull String id) {
        return item -> item instanceof IdCredentials c && id.equals(c.getId());
    }

    /** The first of {@code credentials} that {@code matcher} matches, or null. */
    @CheckForNull
    public static <C extends Credentials> C firstOrNull(@NonNull Iterable<C> credentials, @NonNull CredentialsMatcher matcher) {
        for (C c : credentials) {
            if (matcher.matches(c)) {
                return c;
            }
        }
        return null;
    }
}
