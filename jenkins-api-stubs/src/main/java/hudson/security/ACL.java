package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;
import org.springframework.security.core.Authentication;

/**
 * STUB of jenkins-core {@code hudson.security.ACL} ({@code public abstract class ACL}): the SYSTEM
 * identity and impersonation. Permission checks ({@code checkPermission}, {@code hasPermission2}),
 * {@code lambda2}, the sids and the deprecated Acegi members are omitted. {@link #as2} throws here.
 */
public abstract class ACL {
    /**
     * Jenkins acting for itself (builds, the scheduler); passes every permission check. The real value
     * is {@code new UsernamePasswordAuthenticationToken("SYSTEM", "SYSTEM")}.
     */
    public static final Authentication SYSTEM2 = () -> "SYSTEM";

    /**
     * Runs the following code as {@code auth} until the returned context is closed:
     * {@code try (ACLContext ctx = ACL.as2(ACL.SYSTEM2)) { ... }}.
     */
    @NonNull
    public static ACLContext as2(@NonNull Authentication auth) {
        throw new UnsupportedOperationException("stub: ACL.as2 needs Jenkins' security context");
    }
}
