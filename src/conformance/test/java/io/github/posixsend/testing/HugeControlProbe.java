// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.testing;

import io.github.posixsend.ControlMessage;
import io.github.posixsend.Message;
import io.github.posixsend.Posix;

/**
 * Run in a child JVM with a heap large enough for it by ControlMessageTest: offers {@code ControlMessage.raw} a
 * payload just under 2 GiB and prints {@code refused: <message>}, or what its space was and how many times a
 * message of the largest control space took it ({@code accepted space=<n> adds=<k>}).
 */
public final class HugeControlProbe {
    private HugeControlProbe() {
    }

    public static void main(String[] args) {
        byte[] payload = new byte[Integer.MAX_VALUE - 8];
        ControlMessage cm;
        try {
            cm = ControlMessage.raw(Posix.SOL_SOCKET, 0x7ff0, payload);
        } catch (IllegalArgumentException e) {
            System.out.println("refused: " + e.getMessage());
            return;
        }
        Message m = new Message(Message.MAX_CONTROL_SPACE);
        int adds = 0;
        try {
            for (; adds < 2; adds++) {
                m.addControl(cm);
            }
        } catch (IllegalArgumentException e) {
            System.out.println("addControl refused: " + e.getMessage());
        }
        System.out.println("accepted space=" + cm.space() + " adds=" + adds);
    }
}
