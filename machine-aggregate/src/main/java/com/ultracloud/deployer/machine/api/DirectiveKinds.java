package com.ultracloud.deployer.machine.api;

/** The kinds of directive a machine's nix-agent carries out (the wire's {@code directive.kind}). */
public final class DirectiveKinds {

    public static final String RESCUE = "rescue";
    public static final String REPROVISION = "reprovision";

    private DirectiveKinds() {
    }
}
