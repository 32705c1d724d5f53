package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionPoint;
import hudson.model.ItemGroup;
import java.util.List;
import org.springframework.security.core.Authentication;

/**
 * STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.CredentialsProvider} (the real
 * one: {@code public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
 * implements ExtensionPoint, Describable<CredentialsProvider>}): only the static
 * {@link #lookupCredentialsInItemGroup(Class, ItemGroup, Authentication, List)}, which throws here. The
 * Descriptor superclass, the permissions ({@code USE_ITEM}, ...), the provider SPI and the other
 * lookups are omitted.
 */
public abstract class CredentialsProvider implements ExtensionPoint {

    /**
     * Every credential of {@code type} that {@code authentication} may use in {@code itemGroup}
     * ({@code Jenkins.get()} for the global store), first of each id across all providers. The real
     * method treats a null group as Jenkins, a null authentication as {@code ACL.SYSTEM2} and null
     * requirements as none.
     */
    @NonNull
    public static <C extends Credentials> List<C> lookupCredentialsInItemGroup(@NonNull Class<C> type,
            @Nullable ItemGroup itemGroup, @Nullable Authentication authentication, @Nullable List<DomainRequirement> domainRequirements) {
        throw new UnsupportedOperationException("stub: CredentialsProvider.lookupCredentialsInItemGroup needs a running Jenkins");
    }
}
