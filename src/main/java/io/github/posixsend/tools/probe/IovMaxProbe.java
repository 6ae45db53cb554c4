package io.github.posixsend.tools.probe;

import io.github.posixsend.Posix;

/**
 * Claim 14: sendmsg with more than IOV_MAX iovecs fails with EMSGSIZE.
 *
 * <p>Not measurable yet: posix-send has no sendmsg. When it lands, replace the body of {@link #run} with: a
 * connected loopback UDP pair; a sendmsg of IOV_MAX one-byte iovecs (expect IOV_MAX bytes sent and one datagram
 * of IOV_MAX bytes received), then of IOV_MAX + 1 (expect EMSGSIZE and nothing received); HOLDS when both do.
 */
final class IovMaxProbe extends BaseProbe {
    IovMaxProbe() {
        super(14, "iov-max", "sendmsg > IOV_MAX iovecs: EMSGSIZE",
                "sendmsg with more than IOV_MAX iovecs fails with EMSGSIZE.");
    }

    @Override
    public Outcome run(ProbeContext ctx) {
        return Outcome.notAvailable("needs sendmsg, not built yet",
                "IOV_MAX here is " + Posix.IOV_MAX + "; the check will send IOV_MAX and IOV_MAX + 1 iovecs once "
                        + "posix-send has sendmsg.");
    }
}
