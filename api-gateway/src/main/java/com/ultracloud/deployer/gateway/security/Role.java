package com.ultracloud.deployer.gateway.security;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Operator roles, each including the ones before it (admin ⊃ operator ⊃ viewer, DESIGN §10). A
 * principal is granted its role's authority and every lower one, so a rule names the least role it needs.
 */
public enum Role {
    /** Reads: inventory, machine detail and history, plans without secrets, intent, processor status, metrics. */
    VIEWER,
    /** Lifecycle actions on machines (and rollouts, once built). */
    OPERATOR,
    /** Intent import and preview, API tokens, projection replay, settings. */
    ADMIN;

    /** The name on the wire, in tokens and in JWT role claims: {@code viewer}, {@code operator}, {@code admin}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Spring Security's authority for this role alone ({@code ROLE_OPERATOR}). */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The authorities a holder of this role is granted: its own and every role it includes. */
    public List<GrantedAuthority> grantedAuthorities() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal())
                .<GrantedAuthority>map(r -> new SimpleGrantedAuthority(r.authority())).toList();
    }

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The role a wire name means (case-insensitive), if any. */
    public static Optional<Role> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(n)).findFirst();
    }

    /** The highest role among {@code authorities}, if any. */
    public static Optional<Role> highest(java.util.Collection<? extends GrantedAuthority> authorities) {
        Role best = null;
        for (GrantedAuthority a : authorities) {
            for (Role r : values()) {
                if (r.authority().equals(a.getAuthority()) && (best == null || r.includes(best))) {
                    best = r;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Role::wire).toList();
    }
}
