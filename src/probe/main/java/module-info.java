// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers

/**
 * The kernel-behaviour probe of posix-send: what this kernel's send family really does, measured on loopback
 * through posix-send and reported claim by claim. Run it with {@code java -jar posix-send-probe-<version>.jar}
 * (its manifest names its dependencies in {@code lib/}), or on the module path with
 * {@code java -p <jars> -m io.github.posixsend.probe/io.github.posixsend.tools.probe.ProbeMain}. It exports nothing.
 */
module io.github.posixsend.probe {
    requires io.github.posixsend;
    requires info.picocli;
    // the --report charts (XChart draws with java.desktop's AWT) and the --compare reader
    requires org.knowm.xchart;
    requires java.desktop;
    requires com.fasterxml.jackson.databind;

    // picocli reads the probe's command and options reflectively
    opens io.github.posixsend.tools.probe to info.picocli;
}
