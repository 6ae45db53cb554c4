// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static java.io.ObjectStreamConstants.SC_SERIALIZABLE;
import static java.io.ObjectStreamConstants.STREAM_MAGIC;
import static java.io.ObjectStreamConstants.STREAM_VERSION;
import static java.io.ObjectStreamConstants.TC_ARRAY;
import static java.io.ObjectStreamConstants.TC_CLASSDESC;
import static java.io.ObjectStreamConstants.TC_ENDBLOCKDATA;
import static java.io.ObjectStreamConstants.TC_NULL;
import static java.io.ObjectStreamConstants.TC_OBJECT;
import static java.io.ObjectStreamConstants.TC_STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A serialized {@code SockAddr} reads back as the same address, and a stream forged to carry a {@code SockAddr}'s
 * fields (a family with an image that does not match it) is refused instead of becoming a destination.
 */
class SockAddrSerializationTest {

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    /** Writes the class descriptor of a serializable class with no fields of its own. */
    private static void emptyDescriptor(DataOutputStream out, Class<?> c) throws IOException {
        out.writeByte(TC_CLASSDESC);
        out.writeUTF(c.getName());
        out.writeLong(ObjectStreamClass.lookup(c).getSerialVersionUID());
        out.writeByte(SC_SERIALIZABLE);
        out.writeShort(0);
        out.writeByte(TC_ENDBLOCKDATA);
    }

    /**
     * A stream written by hand, as an attacker would, holding a SockAddr whose fields are {@code family},
     * {@code port} and {@code image}, whatever they are.
     */
    private static byte[] forged(int family, int port, byte[] image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(STREAM_MAGIC);
        out.writeShort(STREAM_VERSION);
        out.writeByte(TC_OBJECT);
        out.writeByte(TC_CLASSDESC);
        out.writeUTF(SockAddr.class.getName());
        out.writeLong(ObjectStreamClass.lookup(SockAddr.class).getSerialVersionUID());
        out.writeByte(SC_SERIALIZABLE);
        out.writeShort(3); // primitive fields first, each group by name
        out.writeByte('I');
        out.writeUTF("family");
        out.writeByte('I');
        out.writeUTF("port");
        out.writeByte('[');
        out.writeUTF("image");
        out.writeByte(TC_STRING);
        out.writeUTF("[B");
        out.writeByte(TC_ENDBLOCKDATA);
        emptyDescriptor(out, SocketAddress.class); // the superclass
        out.writeByte(TC_NULL);
        // the field values: SocketAddress has none; then SockAddr's
        out.writeInt(family);
        out.writeInt(port);
        out.writeByte(TC_ARRAY);
        emptyDescriptor(out, byte[].class);
        out.writeByte(TC_NULL);
        out.writeInt(image.length);
        out.write(image);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void aSerializedSockAddrReadsBackAsTheSameAddress() throws Exception {
        List<SockAddr> all = new ArrayList<>();
        all.add(SockAddr.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5353)));
        all.add(SockAddr.of(new InetSocketAddress(InetAddress.getByName("::1"), 53)));
        all.add(SockAddr.of(UnixDomainSocketAddress.of("/run/posix-send/x.sock")));
        if (Os.current() == Os.LINUX) {
            all.add(SockAddr.abstractUnix("posix-send-test"));
        }
        for (SockAddr a : all) {
            Object back = deserialize(serialize(a));
            assertEquals(a, back, a.toString());
            SockAddr b = (SockAddr) back;
            assertEquals(a.family(), b.family(), a.toString());
            assertEquals(a.port(), b.port(), a.toString());
            assertEquals(a.length(), b.length(), a.toString());
            assertEquals(a.isAbstractUnix(), b.isAbstractUnix(), a.toString());
        }
    }

    @Test
    void aForgedImageIsRefused() throws Exception {
        // an empty image that claims AF_INET: sendmsg would pass no destination and send to the connected peer
        InvalidObjectException e = assertThrows(InvalidObjectException.class,
                () -> deserialize(forged(Posix.AF_INET, 9, new byte[0])));
        assertTrue(e.getMessage().contains("SockAddr"), e.getMessage());
        // an IPv6 image that claims AF_INET, and a short IPv4 one
        byte[] v6 = SockAddr.of(new InetSocketAddress(InetAddress.getByName("::1"), 9)).image();
        assertThrows(InvalidObjectException.class, () -> deserialize(forged(Posix.AF_INET, 9, v6)));
        byte[] v4 = SockAddr.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9)).image();
        assertThrows(InvalidObjectException.class,
                () -> deserialize(forged(Posix.AF_INET, 9, java.util.Arrays.copyOf(v4, 3))));
    }

    @Test
    void aForgedSerializedFormIsRefused() throws Exception {
        // the form SockAddr writes, with neither an address nor an abstract name
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(STREAM_MAGIC);
        out.writeShort(STREAM_VERSION);
        out.writeByte(TC_OBJECT);
        out.writeByte(TC_CLASSDESC);
        out.writeUTF(SockAddr.class.getName() + "$Serialized");
        out.writeLong(1L);
        out.writeByte(SC_SERIALIZABLE);
        out.writeShort(2);
        out.writeByte('[');
        out.writeUTF("abstractName");
        out.writeByte(TC_STRING);
        out.writeUTF("[B");
        out.writeByte('L');
        out.writeUTF("address");
        out.writeByte(TC_STRING);
        out.writeUTF("Ljava/net/SocketAddress;");
        out.writeByte(TC_ENDBLOCKDATA);
        out.writeByte(TC_NULL);
        out.writeByte(TC_NULL);
        out.writeByte(TC_NULL);
        out.flush();
        InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> deserialize(bytes.toByteArray()));
        assertTrue(e.getMessage().contains("SockAddr"), e.getMessage());
    }
}
