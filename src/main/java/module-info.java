/**
 * posix-send: the POSIX send family for Java. Only {@code io.github.posixsend} is exported; the backends, the
 * loader and the message plan are internal, so code outside the library cannot reach anything that hands memory
 * to native code. jnr-ffi, picocli, XChart and Jackson are optional: the JNR-FFI backend and the probe tool need
 * them at run time.
 */
module io.github.posixsend {
    exports io.github.posixsend;

    // jnr-ffi generates the LibC implementation in a class loader of its own: it must see the interface
    exports io.github.posixsend.internal.jnr to org.jnrproject.ffi;
    // picocli reads the probe's command and options reflectively
    opens io.github.posixsend.tools.probe to info.picocli;

    requires static org.jnrproject.ffi;
    requires static org.jnrproject.jffi;
    requires static info.picocli;
    // the probe's --report charts (XChart draws with java.desktop's AWT) and its --compare reader
    requires static org.knowm.xchart;
    requires static java.desktop;
    requires static com.fasterxml.jackson.databind;
    // sun.misc.Unsafe: freeing direct memory on JDK 17-21, and the JNR backend's descriptor read
    requires jdk.unsupported;
}
