// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.internal.libc;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Reads the descriptor number a java.nio channel or a {@link FileDescriptor} keeps in a private field, when that
 * can be done silently: by reflection when the JVM opens the JDK's package to posix-send ({@code --add-opens}),
 * else through {@code sun.misc.Unsafe} where using it prints nothing (before JDK 24, or with
 * {@code --sun-misc-unsafe-memory-access=allow}). JDK 24 and later warn on standard error at the first use of
 * Unsafe's field offsets, so there it is not used and {@link #read} answers {@link #UNKNOWN}.
 *
 * <p>The fields are those the JNI shim reads: {@code fdVal} (int) in socket channels, {@code fd}
 * ({@code FileDescriptor}) in other channels, {@code fd} (int) in {@code FileDescriptor}.
 */
public final class FieldDescriptors {
    /** The answer when no field can be read silently. */
    static final int UNKNOWN = Integer.MIN_VALUE;

    private static final Unsafe UNSAFE = Unsafe.ifSilent();

    private static final ClassValue<Reader> READERS = new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
            return readerFor(type);
        }
    };

    private FieldDescriptors() {
    }

    /** The number in {@code target}, -1 when it holds none, or {@link #UNKNOWN}. */
    static int read(Object target) {
        return READERS.get(target.getClass()).read(target);
    }

    /** True when {@link #read} can answer for objects of {@code type}. */
    public static boolean canRead(Class<?> type) {
        return !(READERS.get(type) instanceof NoReader);
    }

    private interface Reader {
        int read(Object target);
    }

    private static final class NoReader implements Reader {
        @Override
        public int read(Object target) {
            return UNKNOWN;
        }
    }

    private static Reader readerFor(Class<?> type) {
        Field fdVal = find(type, "fdVal", int.class);
        if (fdVal != null) {
            return intReader(fdVal);
        }
        Field fd = find(type, "fd", int.class);
        if (fd != null && FileDescriptor.class.isAssignableFrom(type)) {
            return intReader(fd);
        }
        Field holder = find(type, "fd", FileDescriptor.class);
        if (holder != null) {
            Reader outer = objectReader(holder);
            if (outer instanceof NoReader) {
                return outer;
            }
            return target -> {
                Object inner = ((ObjectReader) outer).get(target);
                return inner == null ? -1 : READERS.get(inner.getClass()).read(inner);
            };
        }
        return new NoReader();
    }

    private static Field find(Class<?> type, String name, Class<?> fieldType) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.getType() == fieldType && !Modifier.isStatic(f.getModifiers())) {
                    return f;
                }
            }
        }
        return null;
    }

    private static Reader intReader(Field f) {
        if (f.trySetAccessible()) {
            return target -> {
                try {
                    return f.getInt(target);
                } catch (IllegalAccessException e) {
                    return UNKNOWN;
                }
            };
        }
        if (UNSAFE != null) {
            long offset = UNSAFE.offset(f);
            if (offset >= 0) {
                return target -> UNSAFE.getInt(target, offset);
            }
        }
        return new NoReader();
    }

    private interface ObjectReader extends Reader {
        Object get(Object target);

        @Override
        default int read(Object target) {
            return UNKNOWN;
        }
    }

    private static Reader objectReader(Field f) {
        if (f.trySetAccessible()) {
            return (ObjectReader) target -> {
                try {
                    return f.get(target);
                } catch (IllegalAccessException e) {
                    return null;
                }
            };
        }
        if (UNSAFE != null) {
            long offset = UNSAFE.offset(f);
            if (offset >= 0) {
                return (ObjectReader) target -> UNSAFE.getObject(target, offset);
            }
        }
        return new NoReader();
    }

    /** The few {@code sun.misc.Unsafe} methods used, reached by reflection so nothing links to it at compile time. */
    private static final class Unsafe {
        private final Object unsafe;
        private final Method objectFieldOffset;
        private final Method getInt;
        private final Method getObject;

        private Unsafe(Object unsafe, Method objectFieldOffset, Method getInt, Method getObject) {
            this.unsafe = unsafe;
            this.objectFieldOffset = objectFieldOffset;
            this.getInt = getInt;
            this.getObject = getObject;
        }

        /** Unsafe when using it prints no warning on this JVM, else null. */
        static Unsafe ifSilent() {
            String mode = System.getProperty("sun.misc.unsafe.memory.access");
            boolean silent = mode == null ? Runtime.version().feature() < 24 : mode.equals("allow");
            if (!silent) {
                return null;
            }
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field the = type.getDeclaredField("theUnsafe");
                the.setAccessible(true);
                return new Unsafe(the.get(null), type.getMethod("objectFieldOffset", Field.class),
                        type.getMethod("getInt", Object.class, long.class),
                        type.getMethod("getObject", Object.class, long.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null; // no jdk.unsupported module, or a JVM without these methods
            }
        }

        long offset(Field f) {
            try {
                return (Long) objectFieldOffset.invoke(unsafe, f);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return -1;
            }
        }

        int getInt(Object target, long offset) {
            try {
                return (Integer) getInt.invoke(unsafe, target, offset);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return UNKNOWN;
            }
        }

        Object getObject(Object target, long offset) {
            try {
                return getObject.invoke(unsafe, target, offset);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
