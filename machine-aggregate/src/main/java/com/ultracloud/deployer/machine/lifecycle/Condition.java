package com.ultracloud.deployer.machine.lifecycle;

/**
 * A guard on a transition. The aggregate reports which conditions hold for a command; the table
 * picks the first row whose guard holds.
 */
public enum Condition {
    ALWAYS("always"),
    FACTS_CHANGED("the facts' digest changed"),
    FACTS_UNCHANGED("the facts' digest is unchanged"),
    HARDWARE_CHANGED("the hardware differs from the recorded facts"),
    INSTALLER_UNBOUND("the installer sends a key and none is bound yet"),
    INSTALLER_CHANGED("the installer sends another key than the bound one (rebind automatic)"),
    INSTALLER_CHANGED_NEEDS_APPROVAL("the installer sends another key than the bound one (rebind by an operator)"),
    REBIND_REQUESTED("a new installer key awaits approval"),
    ATTEMPTS_REMAIN("install attempts remain"),
    ATTEMPTS_USED_UP("install attempts are used up"),
    REQUIREMENTS_MET("the facts meet the requirements"),
    REQUIREMENTS_UNMET("the facts miss a requirement"),
    DRAINED("the drain is complete"),
    NOT_DRAINED("the drain is not complete"),
    FORCED("force is requested"),
    DESIRED_SYSTEM_NEW("the deployment and generation are newer than the current desired system"),
    DESIRED_SYSTEM_UNCHANGED("the same deployment, generation and system are already desired"),
    RESCUE_FIRST_BOOT("the first installer boot since rescue was requested"),
    RESCUE_READY_NEW("the rescue installer reports ready at addresses not yet recorded"),
    RESCUE_NOTHING_NEW("the rescue installer reports nothing new"),
    RESCUE_JUST_ENDED("a rescue installer asks right after exit-rescue (no event since)"),
    NOT_RESCUE_JUST_ENDED("any other installer boot"),
    DIRECTIVE_PENDING("the directive is open, neither acknowledged nor failed"),
    DIRECTIVE_ACKNOWLEDGED("the directive is open and acknowledged"),
    DIRECTIVE_FAILED("the directive is open and failed"),
    DIRECTIVE_OVERTAKEN("the deadline's phase is over: the directive was acknowledged meanwhile");

    private final String description;

    Condition(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
