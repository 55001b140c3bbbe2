package com.ultracloud.deployer.ctl;

import java.io.Console;

/** A yes/no question on the terminal; without one (a script, a pipe) the answer is no: pass --yes instead. */
final class Confirm {

    private Confirm() {
    }

    static boolean ask(String question) {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        String answer = console.readLine("%s [y/N] ", question);
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
}
