// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Every probe, in the order of the claims, and selection by name or number. */
final class Probes {
    private Probes() {
    }

    /** All the probes, claim 1 first. */
    static List<Probe> all() {
        return List.of(new SendCopiesProbe(), new SendWaitsProbe(), new PartialSendProbe(), new BufferFillProbe(),
                new DatagramSizeProbe(), new WouldBlockProbe(), new MsgMoreProbe(), new NoSignalProbe(),
                new OobProbe(), new EorProbe(), new NoDeliveryErrorProbe(), new SilentDropProbe(),
                new UnconnectedProbe(), new IovMaxProbe(), new BatchCostProbe(), new ByteCostProbe(),
                new NagleProbe(), new SndbufProbe(), new LowatProbe(), new ConfirmProbe(), new TxDelayProbe(),
                new ZerocopyCopiesProbe(), new ErrorQueueProbe(),
                new LoopbackRetransmitProbe(), new TxtimeProbe(), new ReuseportProbe());
    }

    /**
     * The probes named in {@code selectors} (names or claim numbers), in claim order; all of them when
     * {@code selectors} is null (no {@code --only}).
     *
     * @throws IllegalArgumentException for a selector that names no probe, or selectors that name none at all
     *     ({@code --only ,})
     */
    static List<Probe> select(Collection<String> selectors) {
        List<Probe> all = all();
        if (selectors == null) {
            return all;
        }
        Set<Probe> chosen = new LinkedHashSet<>();
        for (String raw : selectors) {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            Probe match = null;
            for (Probe p : all) {
                if (p.name().equals(s) || String.valueOf(p.number()).equals(s)) {
                    match = p;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException("no probe '" + raw.trim() + "': give a name or a number from 1 to "
                        + all.size() + "; the probes are: " + names(all));
            }
            chosen.add(match);
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--only names no probe; the names are: " + names(all));
        }
        List<Probe> ordered = new ArrayList<>();
        for (Probe p : all) {
            if (chosen.contains(p)) {
                ordered.add(p);
            }
        }
        return ordered;
    }

    private static String names(List<Probe> probes) {
        StringBuilder b = new StringBuilder();
        for (Probe p : probes) {
            b.append(b.length() == 0 ? "" : ", ").append(p.number()).append(' ').append(p.name());
        }
        return b.toString();
    }
}
