// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

/** What a probe concluded about its claim on this kernel. */
enum Verdict {
    /** The kernel did what the claim says. */
    HOLDS,
    /** The kernel did something else: a finding, not a failure of the probe. */
    DIFFERS,
    /** The measurements could not settle it within the probe's bounds (an interval straddles the threshold). */
    INCONCLUSIVE,
    /** The claim does not apply here (for example a feature this system lacks). */
    NOT_APPLICABLE,
    /** The probe needs a part of posix-send that is not built yet. */
    NOT_AVAILABLE,
    /** The probe itself failed (an unexpected exception or its deadline); the details say why. */
    ERROR
}
