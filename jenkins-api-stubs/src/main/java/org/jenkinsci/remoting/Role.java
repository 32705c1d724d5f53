package org.jenkinsci.remoting;

import java.util.Collection;
import java.util.Set;

/** STUB of remoting {@code org.jenkinsci.remoting.Role}. */
public final class Role {
    public static final Role UNKNOWN = new Role("unknown");
    public static final Collection<Role> UNKNOWN_SET = Set.of(UNKNOWN);

    private final String name;

    public Role(String name) {
        this.name = name;
    }

    public Role(Class<?> name) {
        this(name.getName());
    }

    public String getName() {
        return name;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof Role other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return super.toString() + "[" + name + "]";
    }
}
