package io.github.posixsend.tools.probe;

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
}
