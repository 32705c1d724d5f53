package org.springframework.security.core;

import java.io.Serializable;
import java.security.Principal;

/**
 * STUB of spring-security-core {@code org.springframework.security.core.Authentication} (same
 * declaration: {@code public interface Authentication extends Principal, Serializable}). Its members
 * ({@code getAuthorities()}, {@code getCredentials()}, {@code getDetails()}, {@code getPrincipal()},
 * {@code isAuthenticated()}, {@code setAuthenticated(boolean)}) are omitted: the plugins only pass
 * {@code ACL.SYSTEM2} around. Jenkins core provides the real Spring Security to plugins.
 */
public interface Authentication extends Principal, Serializable {
}
