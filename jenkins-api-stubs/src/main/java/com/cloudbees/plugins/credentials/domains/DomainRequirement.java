package com.cloudbees.plugins.credentials.domains;

import java.io.Serializable;

/**
 * STUB of credentials-plugin {@code com.cloudbees.plugins.credentials.domains.DomainRequirement}
 * ({@code public class DomainRequirement implements Serializable}); callers pass an empty list to ask
 * for credentials of every domain.
 */
public class DomainRequirement implements Serializable {
    private static final long serialVersionUID = 1L;
}
