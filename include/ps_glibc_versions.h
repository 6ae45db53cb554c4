/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * The glibc versions the shim binds its thread-specific key calls to. glibc 2.34 moved pthread_key_create,
 * pthread_key_delete, pthread_getspecific and pthread_setspecific from libpthread into libc under a new version, so a
 * shim linked on 2.34 or later would need 2.34 to load at all. Every later libc keeps the first versions (the
 * architecture's base: 2.2.5 on x86_64, 2.17 on aarch64) as the same functions, and before 2.34 the JVM's own
 * libpthread defines them: bound to those, the shim loads on every glibc from the base on, as the platform table
 * says (GlibcVersionsTest reads the versions the built libraries need).
 */
#ifndef PS_GLIBC_VERSIONS_H
#define PS_GLIBC_VERSIONS_H

#if defined(__GLIBC__)
#if defined(__x86_64__)
#define PS_GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define PS_GLIBC_BASE "GLIBC_2.17"
#endif
#ifdef PS_GLIBC_BASE
__asm__(".symver pthread_key_create,pthread_key_create@" PS_GLIBC_BASE);
__asm__(".symver pthread_key_delete,pthread_key_delete@" PS_GLIBC_BASE);
__asm__(".symver pthread_getspecific,pthread_getspecific@" PS_GLIBC_BASE);
__asm__(".symver pthread_setspecific,pthread_setspecific@" PS_GLIBC_BASE);
#endif
#endif

#endif
