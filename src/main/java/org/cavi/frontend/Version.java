package org.cavi.frontend;

/** cavi's version, for `cavi --version` and the REPL's banner. */
public final class Version {
    private Version() {}

    public static final String NUMBER = "0.1.0";
}
