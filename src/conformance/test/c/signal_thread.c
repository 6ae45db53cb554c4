/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright the posix-send developers */
/*
 * signal_thread PID TID SIGNAL PERIOD_MS COUNT: sends SIGNAL to thread TID of process PID (tgkill) every PERIOD_MS
 * milliseconds, COUNT times, for the suite's tests of calls a signal interrupts: Java cannot direct a signal at one
 * of its own threads. Ends early, with status 0, when the thread is gone; prints how many signals it sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: signal_thread PID TID SIGNAL PERIOD_MS COUNT\n");
        return 2;
    }
    long pid = atol(argv[1]);
    long tid = atol(argv[2]);
    int sig = atoi(argv[3]);
    long period_ms = atol(argv[4]);
    long count = atol(argv[5]);
    struct timespec period = {period_ms / 1000, (period_ms % 1000) * 1000000L};
    long sent = 0;
    for (; sent < count; sent++) {
        if (syscall(SYS_tgkill, pid, tid, sig) != 0) {
            if (errno == ESRCH) {
                break;
            }
            perror("tgkill");
            return 1;
        }
        nanosleep(&period, NULL);
    }
    printf("sent %ld\n", sent);
    return 0;
}
