// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import io.github.posixsend.Os;
import io.github.posixsend.Posix;

/** Holds a probe's number, name and claim texts, so each probe class is only its measurement. */
abstract class BaseProbe implements Probe {
    private final int number;
    private final String name;
    private final String title;
    private final String claim;
    private final String rule;

    BaseProbe(int number, String name, String title, String claim) {
        this(number, name, title, claim, "");
    }

    BaseProbe(int number, String name, String title, String claim, String rule) {
        this.number = number;
        this.name = name;
        this.title = title;
        this.claim = claim;
        this.rule = rule;
    }

    @Override
    public final int number() {
        return number;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String claim() {
        return claim;
    }

    @Override
    public String rule() {
        return rule;
    }

    /**
     * For a Linux claim: NOT_APPLICABLE on another system, or on a Linux whose headers lacked {@code constant}
     * ({@link Posix#UNSUPPORTED}); null where the claim applies.
     */
    static Outcome notLinuxWith(int constant) {
        return Posix.isSupported(constant) ? notLinux() : Outcome.notApplicable("a Linux claim; this is "
                + Os.current(), "");
    }

    /** For a Linux claim: NOT_APPLICABLE on another system; null on Linux. */
    static Outcome notLinux() {
        return Os.current() == Os.LINUX ? null : Outcome.notApplicable("a Linux claim; this is " + Os.current(), "");
    }
}
